"use client";

import { useCallback, useEffect, useRef, useState } from "react";

export type Toast = { id: number; message: string };

const TOAST_MS = 6_000;

/** A list of short notices that disappear by themselves; screen readers hear each one. */
export function useToasts() {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(0);
  const timers = useRef<ReturnType<typeof setTimeout>[]>([]);
  useEffect(() => () => timers.current.forEach(clearTimeout), []);
  const show = useCallback((message: string) => {
    const id = (nextId.current += 1);
    setToasts((current) => [...current, { id, message }]);
    timers.current.push(setTimeout(() => setToasts((current) => current.filter((toast) => toast.id !== id)), TOAST_MS));
  }, []);
  return { toasts, show };
}

/**
 * Spans only (phrasing content), so it may sit anywhere, even inside a paragraph as the dashboard's plan badge
 * puts it: the browser's HTML parser closes a <p> at a <div>, and React, finding the page changed, throws the
 * server's HTML away and renders it again (e2e/hydration.e2e.ts).
 */
export function Toasts({ toasts }: { toasts: Toast[] }) {
  return (
    <span aria-live="polite" role="status" className="fixed right-4 bottom-4 z-50 flex flex-col gap-2">
      {toasts.map((toast) => (
        <span key={toast.id} className="block rounded-md bg-stone-900 px-4 py-3 text-sm text-white shadow-lg">
          {toast.message}
        </span>
      ))}
    </span>
  );
}
