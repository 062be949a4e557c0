package dev.mmcheck.model.rules;

import dev.mmcheck.model.profile.Decisions.CollapseRefcount;
import dev.mmcheck.model.profile.Decisions.CollapseWritable;
import dev.mmcheck.model.state.Data;
import dev.mmcheck.model.state.Folio;
import dev.mmcheck.model.state.FolioFlag;
import dev.mmcheck.model.state.FolioId;
import dev.mmcheck.model.state.Pid;
import dev.mmcheck.model.state.Pmd;
import dev.mmcheck.model.state.Pte;
import dev.mmcheck.model.state.Vaddr;
import dev.mmcheck.model.state.Vma;
import dev.mmcheck.model.state.VmaKind;

/**
 * mm/khugepaged.c: collapse of the PTE-mapped pages of an aligned THP range into a new THP (khugepaged's scan, and
 * MADV_COLLAPSE from v6.1, which differ here only in the max_ptes_* limits: the model uses MADV_COLLAPSE's, which
 * ignore max_ptes_shared, and max_ptes_none = 511). An anon collapse always copies; the new THP is mapped by the PMD,
 * exclusive by construction, and the old pages lose this mapping.
 * Abstracts away: swap-in of swap PTEs in the range (a swap PTE refuses the collapse here), the young/referenced
 * heuristics, and the collapse's own allocation failure. With {@code steps} ({@link #isolate} then {@link #copy}) a
 * GUP-fast walk split into steps can straddle pmdp_collapse_flush() (70cbc3cc78a9, 2ba99c5e0881).
 */
final class Khugepaged {
    private Khugepaged() {
    }

    static boolean collapse(Kernel k, Pid p, Vaddr a) {
        return collapse(k, p, a, true, true);
    }

    /**
     * A collapse split into steps, step 1: collapse_huge_page() takes mmap_lock for write, clears the PMD with
     * pmdp_collapse_flush() (from v6.1 tlb_remove_table_sync_one() then waits for GUP-fast walkers: the caller does
     * not run this step while one is between its steps) and runs __collapse_huge_page_isolate()'s checks, references
     * included. False (and nothing changed: the PMD is restored) if the range cannot be collapsed.
     */
    static boolean isolate(Kernel k, Pid p, Vaddr a) {
        boolean ok = collapse(k, p, a, true, false);
        if (ok) k.setProcess(p, k.process(p).withCollapseStep(new dev.mmcheck.model.state.PairStep(HugeMemory.base(a))));
        else k.call("the PMD is restored; mmap_write_unlock");
        return ok;
    }

    /** Step 2: the copy into the new THP and its PMD, with the references as step 1 counted them; mmap_lock is released. */
    static void copy(Kernel k, Pid p) {
        Vaddr b = k.process(p).collapseStep().base();
        k.setProcess(p, k.process(p).withCollapseStep(dev.mmcheck.model.state.PairStep.NONE));
        if (!collapse(k, p, b, false, true)) throw new IllegalStateException("a collapse that isolated its pages cannot copy them");
        k.call("mmap_write_unlock");
    }

    /** {@code checkRefs}: __collapse_huge_page_isolate()'s reference check; {@code install}: the copy and the new PMD. */
    private static boolean collapse(Kernel k, Pid p, Vaddr a, boolean checkRefs, boolean install) {
        Vma vma = k.vma(p, a);
        if (vma.kind() != VmaKind.ANON_THP || !HugeMemory.hugeVma(k, p, a)) {
            k.call("hugepage_vma_check: not a THP-eligible anonymous range");
            return false;
        }
        if (!(k.pmd(p, a) instanceof Pmd.None)) {
            k.call("the range is PMD-mapped already");
            return false;
        }
        Vaddr b = HugeMemory.base(a);
        if (vma.uffd() != 0) {
            // khugepaged_scan_pmd() / hpage_collapse_scan_pmd(): an empty PTE in a userfaultfd_armed() VMA is not
            // collapsed over (a missing fault would be lost); from e1e267c7928f (v5.7) a uffd-wp PTE or marker is
            // SCAN_PTE_UFFD_WP (the new PMD would lose the protection)
            boolean checkWp = k.profile.uffdCollapse() == dev.mmcheck.model.profile.Decisions.UffdCollapse.REFUSE;
            for (int i = 0; i < Folio.NR_SUBPAGES; i++) {
                Pte pte = k.pte(p, new Vaddr(b.index() + i));
                if (pte instanceof Pte.None) {
                    k.call("khugepaged_scan_pmd: an empty PTE in a userfaultfd-armed VMA: no collapse");
                    return false;
                }
                if (checkWp && (pte instanceof Pte.UffdMarker || (pte instanceof Pte.Present pr && pr.uffdWp()))) {
                    k.call("khugepaged_scan_pmd: SCAN_PTE_UFFD_WP: no collapse");
                    return false;
                }
            }
        }
        k.call(install && checkRefs ? "collapse_huge_page -> __collapse_huge_page_isolate"
                : checkRefs ? "collapse_huge_page: mmap_write_lock; pmdp_collapse_flush" + (k.profile.get(dev.mmcheck.model.profile.DecisionPoint.GUP_FAST_COLLAPSE)
                == dev.mmcheck.model.profile.Decisions.GupFastCollapse.PMD_RECHECK_IPI ? "; tlb_remove_table_sync_one" : "") + " -> __collapse_huge_page_isolate"
                : "collapse_huge_page: the pages as isolated");
        Data[] data = new Data[Folio.NR_SUBPAGES];
        FolioId[] old = new FolioId[Folio.NR_SUBPAGES];
        boolean writable = false;
        boolean any = false;
        for (int i = 0; i < Folio.NR_SUBPAGES; i++) {
            Vaddr va = new Vaddr(b.index() + i);
            data[i] = Data.INITIAL;
            switch (k.pte(p, va)) {
                case Pte.None n -> {
                }
                case Pte.Present pr when pr.folio().isZero() -> {
                }
                case Pte.Present pr -> {
                    FolioId f = pr.folio();
                    Folio folio = k.folio(f);
                    if (!folio.isAnon() || folio.has(FolioFlag.KSM) || folio.has(FolioFlag.DEVICE_PRIVATE)) {
                        if (k.trace) k.call("SCAN_PAGE_ANON: " + f + " is not a plain anon page");
                        return false;
                    }
                    if (checkRefs && !refcountSuitable(k, f)) return false;
                    data[i] = folio.data();
                    old[i] = f;
                    writable |= pr.write();
                    any = true;
                }
                default -> {
                    if (k.trace) k.call("SCAN_EXCEED_SWAP_PTE / not present: " + k.pte(p, va) + " (swap-in not modelled)");
                    return false;
                }
            }
        }
        if (!any) {
            k.call("SCAN_EXCEED_NONE_PTE: nothing mapped");
            return false;
        }
        if (!writable && k.profile.collapseWritable() == CollapseWritable.REQUIRED) {
            k.call("SCAN_PAGE_RO: no writable PTE (MADV_COLLAPSE: -EINVAL)");
            return false;
        }
        if (!install) return true;
        k.call("__collapse_huge_page_copy: a new THP, mapped by the PMD, exclusive");
        for (int i = 0; i < Folio.NR_SUBPAGES; i++) {
            Vaddr va = new Vaddr(b.index() + i);
            if (old[i] != null) {
                k.setPte(p, va, Pte.NONE);
                Memory.unmapFolio(k, old[i]);
            } else {
                k.setPte(p, va, Pte.NONE);
            }
        }
        FolioId h = HugeMemory.newLargeAnon(k, p, a, data[0], data[1]);
        k.setPmd(p, a, new Pmd.Huge(h, vma.write(), true, true));
        return true;
    }

    /**
     * Before v5.8: page_count must be 1 (+ swapcache) and the page not compound; v5.8+ is_refcount_suitable(): the
     * folio's references are its mappings (+ the swapcache), so any GUP reference or pin refuses the collapse.
     */
    private static boolean refcountSuitable(Kernel k, FolioId f) {
        int swapcache = k.has(f, FolioFlag.SWAPCACHE) ? Swapfile.pages(k, f).size() : 0;
        if (k.profile.collapseRefcount() == CollapseRefcount.NO_COMPOUND_NO_SHARED) {
            if (k.large(f)) {
                if (k.trace) k.call("SCAN_PAGE_COMPOUND: " + f + " is part of a large folio");
                return false;
            }
            if (k.refcount(f) != 1 + swapcache) {
                if (k.trace) k.call("SCAN_PAGE_COUNT: page_count " + k.refcount(f) + " != 1");
                return false;
            }
            return true;
        }
        if (k.profile.collapseRefcount() == CollapseRefcount.IGNORE_REFERENCES) return true;
        int expected = k.totalMapcount(f) + swapcache;
        if (k.refcount(f) != expected) {
            if (k.trace) k.call("SCAN_PAGE_COUNT: is_refcount_suitable: refcount " + k.refcount(f) + " != mappings " + expected);
            return false;
        }
        return true;
    }
}
