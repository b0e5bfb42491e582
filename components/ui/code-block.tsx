import { cn } from "./cn";

/**
 * Preformatted text (a command, a JSON payload) on a dark panel. It wraps long lines, breaking anywhere,
 * instead of scrolling sideways: on a phone every character stays visible and can be selected.
 */
export function CodeBlock({ className, ...props }: React.ComponentProps<"pre">) {
  return (
    <pre
      data-slot="code-block"
      className={cn(
        "rounded-md bg-stone-900 p-3 font-mono text-xs break-all whitespace-pre-wrap text-stone-100",
        className,
      )}
      {...props}
    />
  );
}
