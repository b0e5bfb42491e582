import { cva } from "class-variance-authority";
import { cn } from "./cn";

/** The look text inputs and textareas share: 44 px tall at least, a visible focus ring, red when invalid. */
export const fieldControl = cva([
  "block w-full min-w-0 rounded-md border border-input bg-card px-3 py-2 text-base text-foreground shadow-sm",
  "placeholder:text-stone-500 focus-visible:border-ring focus-visible:ring-2 focus-visible:ring-ring/30",
  "focus-visible:outline-none disabled:cursor-not-allowed disabled:opacity-60 aria-invalid:border-destructive",
  "sm:text-sm",
]);

export function Input({ className, type = "text", ...props }: React.ComponentProps<"input">) {
  return (
    <input
      type={type}
      data-slot="input"
      className={cn(
        fieldControl(),
        "min-h-11",
        // A file input's own button, styled as a secondary button.
        "file:mr-3 file:cursor-pointer file:rounded file:border-0 file:bg-muted file:px-3 file:py-1.5",
        "file:text-sm file:font-medium file:text-foreground",
        className,
      )}
      {...props}
    />
  );
}
