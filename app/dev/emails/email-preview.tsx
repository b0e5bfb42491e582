import { Eye } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle, DialogTrigger } from "@/components/ui/dialog";

/**
 * An email's HTML in a dialog, in a sandboxed frame: the email cannot run scripts or touch this page. The frame
 * is made only when the dialog opens, so a long outbox does not load every email at once.
 */
export function EmailPreview({
  label,
  title,
  subject,
  html,
}: {
  label: string;
  title: string;
  subject: string;
  html: string;
}) {
  return (
    <Dialog>
      <DialogTrigger asChild>
        <Button variant="secondary">
          <Eye aria-hidden="true" />
          {label}
        </Button>
      </DialogTrigger>
      <DialogContent className="max-w-2xl">
        <DialogTitle className="break-words">{title}</DialogTitle>
        <DialogDescription className="break-words">Subject: {subject}</DialogDescription>
        <iframe
          title={`Email: ${subject}`}
          srcDoc={html}
          sandbox=""
          className="h-[60dvh] w-full rounded border border-border bg-white"
        />
      </DialogContent>
    </Dialog>
  );
}
