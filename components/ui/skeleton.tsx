import { cn } from "./cn";

/** A grey placeholder that pulses while its content loads. */
export function Skeleton({ className, ...props }: React.ComponentProps<"div">) {
  return <div data-slot="skeleton" className={cn("animate-pulse rounded-md bg-stone-200", className)} {...props} />;
}
