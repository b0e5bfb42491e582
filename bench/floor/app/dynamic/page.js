import { connection } from "next/server";

export default async function Dynamic() {
  await connection();
  return (
    <main>
      <h1>A dynamic page</h1>
      <p>Rendered at {new Date().toISOString()}.</p>
    </main>
  );
}
