import { fieldControl } from "./input";
import { cn } from "./cn";

export function Textarea({ className, ...props }: React.ComponentProps<"textarea">) {
  return <textarea data-slot="textarea" className={cn(fieldControl(), "min-h-20", className)} {...props} />;
}
