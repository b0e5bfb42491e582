"use client";

import { useRouter } from "next/navigation";
import { useActionState, useRef, useState } from "react";
import { FormMessage, SubmitButton } from "@/app/_components/form";
import { cn } from "@/components/ui/cn";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { initialActionState } from "@/lib/actions/state";
import { PHOTO_MAX_BYTES, isPhotoType } from "@/lib/uploads/schema";
import { removePhotoAction } from "../actions";
import { TeamField } from "../team-context";

type Progress =
  | { phase: "idle" }
  | { phase: "uploading"; percent: number }
  | { phase: "checking" }
  | { phase: "done" }
  | { phase: "error"; message: string };

/** Posts the file and the signed fields straight to the bucket, reporting progress (fetch cannot, yet). */
function postToBucket(url: string, fields: Record<string, string>, file: File, onProgress: (percent: number) => void) {
  return new Promise<void>((resolve, reject) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append("file", file); // last: S3 ignores fields after the file
    const request = new XMLHttpRequest();
    request.open("POST", url);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(Math.round((event.loaded / event.total) * 100));
    };
    request.onload = () =>
      request.status < 300 ? resolve() : reject(new Error(`The storage refused the file (${request.status}).`));
    request.onerror = () => reject(new Error("The upload did not reach the storage. Check your connection."));
    request.send(form);
  });
}

async function postJson(path: string, body: unknown) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(typeof data.error === "string" ? data.error : "Something went wrong. Try again.");
  return data;
}

/** Pick or drop a photo for a recipe; it goes to the bucket, then the server checks and links it. */
export function PhotoPicker({
  recipeId,
  title,
  photoUrl,
}: {
  recipeId: string;
  title: string;
  photoUrl: string | null;
}) {
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<Progress>({ phase: "idle" });
  const [dragging, setDragging] = useState(false);
  const [removeState, remove] = useActionState(removePhotoAction, initialActionState);
  const busy = progress.phase === "uploading" || progress.phase === "checking";

  async function upload(file: File | undefined) {
    if (!file || busy) return;
    // The server checks all of this again; these only spare a round trip.
    if (!isPhotoType(file.type)) return setProgress({ phase: "error", message: "Choose a JPEG, PNG or WebP image." });
    if (file.size > PHOTO_MAX_BYTES)
      return setProgress({ phase: "error", message: `Photos can be at most ${PHOTO_MAX_BYTES / 1024 / 1024} MiB.` });
    try {
      setProgress({ phase: "uploading", percent: 0 });
      const { url, fields, key } = await postJson("/api/uploads", {
        recipeId,
        contentType: file.type,
        size: file.size,
      });
      await postToBucket(url, fields, file, (percent) => setProgress({ phase: "uploading", percent }));
      setProgress({ phase: "checking" });
      await postJson("/api/uploads/complete", { key });
      setProgress({ phase: "done" });
      router.refresh();
    } catch (error) {
      setProgress({ phase: "error", message: (error as Error).message });
    } finally {
      if (input.current) input.current.value = "";
    }
  }

  return (
    <div className="space-y-3">
      {photoUrl ? (
        // A plain img: the address redirects to a short-lived signed URL the image optimizer must not cache.
        // eslint-disable-next-line @next/next/no-img-element
        <img src={photoUrl} alt={`Photo of ${title}`} className="max-h-64 max-w-full rounded-lg border border-border" />
      ) : null}
      <div
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => {
          event.preventDefault();
          setDragging(false);
          void upload(event.dataTransfer.files[0]);
        }}
        className={cn(
          "space-y-2 rounded-lg border-2 border-dashed p-4 text-sm",
          dragging ? "border-emerald-600 bg-emerald-50" : "border-input bg-card",
        )}
      >
        <Label htmlFor="recipe-photo">{photoUrl ? "Replace photo" : "Photo"}</Label>
        <p className="text-muted-foreground">Drop an image here or choose one: JPEG, PNG or WebP, up to 5 MiB.</p>
        <Input
          ref={input}
          id="recipe-photo"
          type="file"
          accept="image/jpeg,image/png,image/webp"
          disabled={busy}
          onChange={(event) => void upload(event.target.files?.[0])}
        />
        {progress.phase === "uploading" && (
          <progress className="block w-full" max={100} value={progress.percent} aria-label="Upload progress" />
        )}
        <p role="status" className="text-stone-700">
          {progress.phase === "uploading" && `Uploading… ${progress.percent}%`}
          {progress.phase === "checking" && "Checking the photo…"}
          {progress.phase === "done" && "Photo saved."}
        </p>
        {progress.phase === "error" && (
          <p role="alert" className="text-destructive">
            {progress.message}
          </p>
        )}
      </div>
      {photoUrl && (
        <form action={remove} className="space-y-2">
          <TeamField />
          <input type="hidden" name="id" value={recipeId} />
          <FormMessage state={removeState} />
          <SubmitButton variant="secondary" pendingLabel="Removing…">
            Remove photo
          </SubmitButton>
        </form>
      )}
    </div>
  );
}
