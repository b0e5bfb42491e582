export default function DashboardLoading() {
  return (
    <div role="status" aria-live="polite" className="space-y-4">
      <span className="sr-only">Loading your recipes…</span>
      <div className="h-8 w-48 animate-pulse rounded bg-stone-200" />
      {[0, 1, 2].map((row) => (
        <div key={row} className="h-16 animate-pulse rounded-lg bg-stone-200" />
      ))}
    </div>
  );
}
