import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Timestamp } from "./timestamp";

describe("Timestamp: one way to write a moment on every page", () => {
  const moment = new Date("2026-12-07T00:10:19.000Z");

  it("writes the day, month and time in UTC, with the exact instant for machines", () => {
    expect(renderToStaticMarkup(<Timestamp date={moment} />)).toBe(
      '<time dateTime="2026-12-07T00:10:19.000Z">7 Dec 2026, 00:10 UTC</time>',
    );
  });

  it("writes a date alone the same way", () => {
    expect(renderToStaticMarkup(<Timestamp date={moment} dateOnly />)).toBe(
      '<time dateTime="2026-12-07T00:10:19.000Z">7 Dec 2026</time>',
    );
  });
});
