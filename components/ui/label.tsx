"use client";

import { Label as LabelPrimitive } from "radix-ui/label";
import { cn } from "./cn";

/** A form label (Radix: clicking it focuses its control, and a double click does not select the text). */
export function Label({ className, ...props }: React.ComponentProps<typeof LabelPrimitive>) {
  return (
    <LabelPrimitive
      data-slot="label"
      className={cn("block text-sm font-medium text-stone-800 select-none", className)}
      {...props}
    />
  );
}
