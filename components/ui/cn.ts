import { cx } from "class-variance-authority";
import { twMerge } from "tailwind-merge";

/**
 * Joins class names (strings, conditionals, arrays) and lets the later of two conflicting Tailwind
 * classes win, so a component's `className` prop overrides its defaults: `cn("px-4", "px-2")` is "px-2".
 */
export function cn(...inputs: Parameters<typeof cx>) {
  return twMerge(cx(...inputs));
}
