package dev.mmcheck.lib.run;

import dev.mmcheck.model.invariant.Violation;
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

/**
 * One state as tables, for reports that show whole states (HTML, DOT): page tables, folios, swap slots
 * and GUP references. Rows are keyed by their first cell, so two views can be compared row by row.
 */
public record StateView(List<Table> tables) {

    public record Table(String title, List<String> header, List<List<String>> rows) {
    }

    /** The key of the row that shows a culprit of a violation (its first cell). */
    public static String key(Violation.Culprit c, IntFunction<String> labelName) {
        return switch (c) {
            case Violation.Culprit.Pte p -> p.pid() + " " + p.addr();
            case Violation.Culprit.Folio f -> f.folio().toString();
            case Violation.Culprit.Slot sl -> sl.slot().toString();
            case Violation.Culprit.Ref r -> refKey(r.ref(), labelName);
        };
    }

    private static String refKey(GupRef r, IntFunction<String> labelName) {
        String name = r.label() > 0 ? labelName.apply(r.label()) : "";
        return name.isEmpty() ? r.owner() + " " + r.addr() + " " + r.flagsString() : name;
    }

    public static StateView of(MmState s, IntFunction<String> labelName) {
        List<List<String>> pt = new ArrayList<>();
        for (int p = 0; p < s.processes().size(); p++) {
            Process proc = s.processes().get(p);
            if (!proc.alive()) continue;
            for (int a = 0; a < proc.ptes().size(); a++) {
                Vaddr va = new Vaddr(a);
                String entry = proc.pmd(va) instanceof dev.mmcheck.model.state.Pmd.None ? proc.pte(va).toString()
                        : proc.pmd(va) + (a % 2 == 0 ? "" : " (same PMD)");
                pt.add(List.of("P" + p + " " + va, proc.vma(va).toString(), entry,
                        proc.hasPinned() ? "MMF_HAS_PINNED" : ""));
            }
        }
        List<List<String>> folios = new ArrayList<>();
        for (int i = 0; i < s.folios().size(); i++) {
            Folio f = s.folios().get(i);
            if (f.isFree()) continue;
            List<String> flags = new ArrayList<>();
            for (FolioFlag fl : FolioFlag.values()) {
                if (f.has(fl)) flags.add(fl.name());
            }
            String kind = f.isAnon() ? "anon" : f.kind().name().toLowerCase(java.util.Locale.ROOT);
            if (f.part().large()) kind += (f.part().hugetlb() ? " hugetlb " : " large ") + (f.part().head() ? "head" : "tail");
            String ref = f.part().tail() ? "(head's)" : String.valueOf(f.refcount());
            if (f.part().head()) ref += ", entire " + f.entireMapcount() + ", pins " + f.pincount();
            folios.add(List.of("folio#" + i, kind, String.join(" ", flags),
                    ref, String.valueOf(f.mapcount()), f.data().toString(),
                    f.swapSlot() < 0 ? "" : "swap#" + f.swapSlot()));
        }
        List<List<String>> swap = new ArrayList<>();
        for (int i = 0; i < s.swap().size(); i++) {
            SwapSlotState st = s.swap().get(i);
            if (st.isFree()) continue;
            swap.add(List.of("swap#" + i, String.valueOf(st.swapCount()), st.data().toString(),
                    st.cache() < 0 ? "" : "folio#" + st.cache()));
        }
        List<List<String>> refs = new ArrayList<>();
        for (GupRef r : s.refs()) {
            refs.add(List.of(refKey(r, labelName),
                    r.owner() + " " + r.addr(), r.flagsString(), r.folio().toString(),
                    r.detached() ? "owner unmapped it" : ""));
        }
        return new StateView(List.of(
                new Table("page tables", List.of("page", "vma", "pte", "mm"), pt),
                new Table("folios", List.of("folio", "kind", "flags", "refcount", "mapcount", "data", "swapcache"), folios),
                new Table("swap slots", List.of("slot", "swapcount", "data", "cached in"), swap),
                new Table("GUP references", List.of("reference", "taken at", "flags", "holds", "note"), refs)));
    }
}
