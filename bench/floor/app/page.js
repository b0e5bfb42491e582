export default function Home() {
  return (
    <main>
      <h1>A static page</h1>
      <p>Prerendered at build time, served from the cache.</p>
    </main>
  );
}
