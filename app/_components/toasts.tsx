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

export function Toasts({ toasts }: { toasts: Toast[] }) {
  return (
    <div aria-live="polite" role="status" className="fixed right-4 bottom-4 z-50 flex flex-col gap-2">
      {toasts.map((toast) => (
        <p key={toast.id} className="rounded-md bg-stone-900 px-4 py-3 text-sm text-white shadow-lg">
          {toast.message}
        </p>
      ))}
    </div>
  );
}
