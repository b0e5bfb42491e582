import type { Metadata } from "next";
import { requireUser } from "@/lib/auth";
import { CreateTeamForm } from "./form";

export const metadata: Metadata = { title: "New team" };

export default async function NewTeamPage() {
  await requireUser("/teams/new");
  return (
    <section className="mx-auto max-w-md space-y-4">
      <h1 className="text-2xl font-semibold">New team</h1>
      <p className="text-sm text-stone-600">
        A team shares its recipes. You are its owner; invite people once it exists. Its plan is its own (Free to start).
      </p>
      <CreateTeamForm />
    </section>
  );
}
