"use client";

import { useState } from "react";

/**
 * A secret shown once, right after it was made (an API key, a signing secret), with a copy button:
 * the app keeps only its hash, so this is the only time anyone sees it.
 */
export function SecretReveal({ label, value, children }: { label: string; value: string; children?: React.ReactNode }) {
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied("yes");
    } catch {
      // No clipboard (an insecure origin, a denied permission): the value is selectable below.
      setCopied("failed");
    }
  }
  return (
    <div className="space-y-2 rounded-lg border border-amber-300 bg-amber-50 p-4" role="region" aria-label={label}>
      <p className="text-sm font-medium text-amber-900">{label}: copy it now, it will not be shown again.</p>
      <div className="flex flex-wrap items-center gap-2">
        <code
          data-testid="secret-value"
          className="min-w-0 flex-1 rounded bg-white px-2 py-1 text-sm break-all select-all"
        >
          {value}
        </code>
        <button
          type="button"
          onClick={copy}
          className="min-h-11 rounded-md border border-stone-300 bg-white px-3 text-sm font-medium hover:bg-stone-50"
        >
          Copy
        </button>
      </div>
      <p aria-live="polite" className="text-xs text-amber-900">
        {copied === "yes" && "Copied to the clipboard."}
        {copied === "failed" && "Copying is not allowed here: select the value and copy it yourself."}
      </p>
      {children}
    </div>
  );
}
