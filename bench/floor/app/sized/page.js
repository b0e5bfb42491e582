// Filled at build time to about the size of the project's `/` (npm run bench sets FLOOR_FILLER_BYTES from
// the project's prerendered page): what bare Next costs to serve that many bytes of static page.
const filler = "Recipe text. ".repeat(Math.ceil(Number(process.env.FLOOR_FILLER_BYTES ?? 0) / 13));

export default function Sized() {
  return (
    <main>
      <h1>A static page of the project&apos;s size</h1>
      <p>{filler}</p>
    </main>
  );
}
