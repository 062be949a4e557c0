package dev.mmcheck.lib.run;

import dev.mmcheck.model.state.Folio;
import dev.mmcheck.model.state.FolioFlag;
import dev.mmcheck.model.state.GupRef;
import dev.mmcheck.model.state.MmState;
import dev.mmcheck.model.state.Process;
import dev.mmcheck.model.state.SwapSlotState;
import dev.mmcheck.model.state.Vaddr;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/** What one step changed, in kernel terms: "folio#0 ref 1->1025", "P0 A: folio#0 RW -> swap#0 exclusive". */
public final class StateDiff {
    private StateDiff() {
    }

    public static List<String> changes(MmState before, MmState after, IntFunction<String> labelName) {
        List<String> out = new ArrayList<>();
        for (int p = 0; p < after.processes().size(); p++) {
            Process b = before.processes().get(p);
            Process a = after.processes().get(p);
            if (b.alive() != a.alive()) out.add("P" + p + (a.alive() ? " created" : " gone"));
            if (!b.hasPinned() && a.hasPinned()) out.add("P" + p + " MMF_HAS_PINNED set");
            for (int i = 0; i < a.pmds().size(); i++) {
                if (!b.pmds().get(i).equals(a.pmds().get(i))) {
                    out.add("P" + p + " " + new Vaddr(2 * i) + "-" + new Vaddr(Math.min(2 * i + 1, MmState.MAX_PAGES - 1)) + " pmd: "
                            + b.pmds().get(i) + " -> " + a.pmds().get(i));
                }
            }
            for (int i = 0; i < a.ptes().size(); i++) {
                Vaddr va = new Vaddr(i);
                if (!b.vma(va).equals(a.vma(va)) && (b.alive() || a.vma(va).mapped())) {
                    out.add("P" + p + " " + va + " vma: " + b.vma(va) + " -> " + a.vma(va));
                }
                if (!b.pte(va).equals(a.pte(va))) {
                    out.add("P" + p + " " + va + " pte: " + b.pte(va) + " -> " + a.pte(va));
                }
            }
        }
        int n = Math.max(before.folios().size(), after.folios().size());
        for (int i = 0; i < n; i++) {
            Folio b = i < before.folios().size() ? before.folios().get(i) : Folio.FREE;
            Folio a = i < after.folios().size() ? after.folios().get(i) : Folio.FREE;
            if (b.equals(a)) continue;
            String id = "folio#" + i;
            if (b.isFree()) {
                out.add(id + " new: " + a);
            } else if (a.isFree()) {
                out.add(id + " freed");
            } else {
                List<String> f = new ArrayList<>();
                if (b.refcount() != a.refcount()) f.add("ref " + b.refcount() + "->" + a.refcount());
                if (b.mapcount() != a.mapcount()) f.add("map " + b.mapcount() + "->" + a.mapcount());
                if (b.entireMapcount() != a.entireMapcount()) f.add("entire map " + b.entireMapcount() + "->" + a.entireMapcount());
                if (b.pincount() != a.pincount()) f.add("pincount " + b.pincount() + "->" + a.pincount());
                if (b.part() != a.part()) f.add("now " + a.part().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
                for (FolioFlag flag : FolioFlag.values()) {
                    if (b.has(flag) != a.has(flag)) f.add((a.has(flag) ? "+" : "-") + flag);
                }
                if (!b.data().equals(a.data())) f.add("data " + b.data() + " -> " + a.data());
                if (b.swapSlot() != a.swapSlot()) f.add(a.swapSlot() < 0 ? "left swap#" + b.swapSlot() : "swap#" + a.swapSlot());
                if (b.kind() != a.kind()) f.add("now " + a.kind());
                out.add(id + " " + String.join(", ", f));
            }
        }
        int m = Math.max(before.swap().size(), after.swap().size());
        for (int i = 0; i < m; i++) {
            SwapSlotState b = i < before.swap().size() ? before.swap().get(i) : SwapSlotState.FREE;
            SwapSlotState a = i < after.swap().size() ? after.swap().get(i) : SwapSlotState.FREE;
            if (!b.equals(a)) out.add("swap#" + i + ": " + b + " -> " + a);
        }
        for (GupRef r : before.refs()) {
            if (!after.refs().contains(r) && !after.refs().contains(r.detach())) out.add("- " + describe(r, labelName));
        }
        for (GupRef r : after.refs()) {
            if (before.refs().contains(r)) continue;
            if (r.detached() && before.refs().contains(withoutDetach(r))) {
                out.add(describe(r, labelName) + " no longer mapped by its owner");
            } else {
                out.add("+ " + describe(r, labelName));
            }
        }
        return out;
    }

    private static GupRef withoutDetach(GupRef r) {
        return new GupRef(r.owner(), r.addr(), r.flags(), r.folio(), false, r.label());
    }

    public static String describe(GupRef r, IntFunction<String> labelName) {
        String name = r.label() > 0 ? labelName.apply(r.label()) + ": " : "";
        return name + r.owner() + " " + r.addr() + " " + r.flagsString() + " on " + r.folio();
    }
}
