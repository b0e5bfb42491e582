import { cn } from "./cn";

/**
 * "Skip to content": the first thing the Tab key reaches, invisible until then, so a keyboard user need not
 * walk through the header on every page. Shown as a 44 px button at the top left while focused.
 */
export function SkipLink({ className, ...props }: React.ComponentProps<"a">) {
  return (
    <a
      className={cn(
        "sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:inline-flex focus:min-h-11",
        "focus:items-center focus:rounded-md focus:border focus:border-input focus:bg-card focus:px-4",
        "focus:text-sm focus:font-medium focus:shadow-md",
        className,
      )}
      {...props}
    />
  );
}
