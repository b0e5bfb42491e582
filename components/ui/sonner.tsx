"use client";

import { Toaster as Sonner, type ToasterProps } from "sonner";

/**
 * Where `toast("…")` (from sonner) appears: once, in the root layout, at the top under the header (at the
 * bottom a toast covered the dashboard's first row and its Delete button). Screen readers hear each toast;
 * it goes by itself or with a swipe. Results a page can show in place (a finished week plan) go there instead.
 */
export function Toaster(props: ToasterProps) {
  return (
    <Sonner
      position="top-center"
      offset={72}
      mobileOffset={{ top: 72 }}
      toastOptions={{
        classNames: {
          toast: "!rounded-md !border-stone-700 !bg-stone-900 !text-white !shadow-lg",
        },
      }}
      {...props}
    />
  );
}

export { toast } from "sonner";
