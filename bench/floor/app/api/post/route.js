export async function POST(request) {
  const body = await request.text();
  return Response.json({ received: true, bytes: body.length });
}
