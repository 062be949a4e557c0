package dev.mmcheck.model.rules;

import dev.mmcheck.model.profile.Decisions.ForkPinned;
import dev.mmcheck.model.profile.Decisions.PinUnshare;
import dev.mmcheck.model.profile.Decisions.SwapInReuse;
import dev.mmcheck.model.state.Data;
import dev.mmcheck.model.state.Folio;
import dev.mmcheck.model.state.FolioFlag;
import dev.mmcheck.model.state.FolioId;
import dev.mmcheck.model.state.GupRef;
import dev.mmcheck.model.state.Pid;
import dev.mmcheck.model.state.Pmd;
import dev.mmcheck.model.state.Pte;
import dev.mmcheck.model.state.SwapSlot;
import dev.mmcheck.model.state.Vaddr;
import dev.mmcheck.model.state.Vma;
import dev.mmcheck.model.state.VmaKind;
import java.util.List;

/**
 * mm/memory.c: page faults, COW, swap-in, fork's page table copy and zap.
 * Abstracts away: the page lock (trylock always succeeds), the PTL and PTE re-checks (an operation is
 * atomic), LRU batches (always drained, so lru_add_drain() changes nothing), memcg charging, uffd-wp,
 * NUMA hinting, and the SWP_SYNCHRONOUS_IO path that skips the swapcache (and with it mTHP swap-in). Large folios
 * are {@link HugeMemory}'s when PMD-mapped; PTE-mapped subpages go through the rules here with folio-wide counts.
 */
final class Memory {
    private Memory() {
    }

    /**
     * An access found an entry it must wait for (a migration entry: migration_entry_wait()); the operation cannot run
     * until the migration ends, so the step is not runnable in this state.
     */
    static final class Wait extends RuntimeException {
        Wait(String why) {
            super(why, null, false, false);
        }
    }

    /** The kind of fault: FAULT_FLAG_WRITE, FAULT_FLAG_UNSHARE, or neither. */
    enum Fault { READ, WRITE, UNSHARE }

    /**
     * mm/memory.c: handle_pte_fault(), for a VMA that allows the access (checked by the caller). Returns false for
     * VM_FAULT_SIGBUS: a driver mapping whose pages were all inserted at mmap() has no ->fault to refill a zapped PTE.
     */
    static boolean handleFault(Kernel k, Pid p, Vaddr a, Fault fault) {
        switch (k.pmd(p, a)) {
            case Pmd.Huge h -> {
                if (!h.folio().isHugeZero() && k.folio(h.folio()).part().hugetlb()) {
                    return Hugetlb.fault(k, p, a, fault);
                }
                if (fault != Fault.READ && !h.write()) return HugeMemory.doHugePmdWpPage(k, p, a, fault == Fault.UNSHARE);
                if (fault == Fault.WRITE) k.setPmd(p, a, h.mkdirty());
                return true;
            }
            case Pmd.Migration m -> throw new Wait("pmd_migration_entry_wait");
            case Pmd.None n -> {
            }
        }
        Pte pte = k.pte(p, a);
        switch (pte) {
            case Pte.None n -> {
                Vma vma = k.vma(p, a);
                if ((vma.uffd() & (Vma.UFFD_MISSING | Vma.UFFD_MINOR)) != 0) Userfaultfd.missingOrMinor(k, p, a);
                if (vma.kind() == VmaKind.HUGETLB_PRIVATE) return Hugetlb.fault(k, p, a, fault);
                if (HugeMemory.hugeFault(k, p, a, fault == Fault.WRITE)) return true;
                switch (vma.kind().backing()) {
                    case ANON -> doAnonymousPage(k, p, a, fault == Fault.WRITE);
                    case FILE, SHMEM -> doFault(k, p, a, fault == Fault.WRITE);
                    case FAULT_PFN -> {
                        k.call("do_fault -> driver ->fault -> vmf_insert_pfn");
                        MemoryInsert.insertPfn(k, p, a, k.devicePfn(a));
                    }
                    case DAX, FUSE_DAX -> {
                        return Dax.fault(k, p, a, fault == Fault.WRITE);
                    }
                    default -> {
                        k.call("do_fault: no ->fault (the driver mapped every page at mmap): VM_FAULT_SIGBUS");
                        return false;
                    }
                }
            }
            case Pte.Swap sw -> doSwapPage(k, p, a, sw, fault);
            case Pte.Present pr -> {
                if (fault != Fault.READ && !pr.write()) {
                    return doWpPage(k, p, a, fault == Fault.UNSHARE);
                } else if (fault == Fault.WRITE) {
                    k.setPte(p, a, pr.mkdirty());
                }
            }
            case Pte.Migration m -> throw new Wait("migration_entry_wait");
            case Pte.DevicePrivate d -> {
                DeviceMemory.migrateToRam(k, p, a);
                return handleFault(k, p, a, fault);
            }
            case Pte.DeviceExclusive d -> {
                DeviceMemory.restoreExclusive(k, p, a);
                return handleFault(k, p, a, fault);
            }
            case Pte.Hwpoison h -> {
                k.call("do_swap_page: hwpoison entry: VM_FAULT_HWPOISON (SIGBUS)");
                return false;
            }
            case Pte.UffdMarker m -> {
                return Userfaultfd.markerFault(k, p, a, fault);
            }
        }
        return true;
    }

    /**
     * mm/memory.c: do_anonymous_page() (v5.7-v7.0 alike): a read maps the zeropage with
     * pte_mkspecial(pfn_pte(my_zero_pfn())); a write allocates a zeroed page, exclusive from v5.19
     * (page_add_new_anon_rmap / folio_add_new_anon_rmap RMAP_EXCLUSIVE), writable and dirty if VM_WRITE.
     */
    static void doAnonymousPage(Kernel k, Pid p, Vaddr a, boolean write) {
        k.call("do_anonymous_page");
        if (!write && k.process(p).forbidsZeropage()) {
            k.call("mm_forbids_zeropage: a zeroed page instead");
        } else if (!write) {
            k.setPte(p, a, new Pte.Present(FolioId.ZERO, false, false, false, k.profile.hasPteSpecial()));
            if (k.trace) k.call(k.profile.hasPteSpecial() ? "map the shared zeropage (pte_mkspecial)" : "map the shared zeropage (no special bit on this arch)");
            return;
        }
        FolioId f = newAnonFolio(k, p, a, Data.INITIAL);
        Vma vma = k.vma(p, a);
        k.setPte(p, a, new Pte.Present(f, vma.write(), true, true, false));
    }

    /**
     * mm/memory.c: do_fault() for the file mappings: do_read_fault() maps the pagecache folio R/O;
     * do_cow_fault() copies it into a new exclusive anon folio; do_shared_fault() maps it writable
     * after ->page_mkwrite. The file never leaves the page cache.
     */
    private static void doFault(Kernel k, Pid p, Vaddr a, boolean write) {
        Vma vma = k.vma(p, a);
        FolioId pc = k.pagecache(vma, a);
        if (!write) {
            k.call("do_read_fault");
            // a shared mapping without write-notify (shmem) maps with VM_WRITE's protection at once
            boolean writableProt = vma.kind().shared() && vma.write() && !MemoryInsert.writeNotify(vma, k.profile);
            mapFolio(k, p, a, pc, false);
            if (writableProt) k.setPte(p, a, ((Pte.Present) k.pte(p, a)).mkwrite());
        } else if (!vma.kind().shared()) {
            k.call("do_cow_fault");
            FolioId f = newAnonFolio(k, p, a, k.data(pc));
            k.setPte(p, a, new Pte.Present(f, vma.write(), true, true, false));
        } else {
            k.call("do_shared_fault");
            mapFolio(k, p, a, pc, true);
        }
    }

    /** Maps an existing folio: one more mapping reference and mapcount. */
    private static void mapFolio(Kernel k, Pid p, Vaddr a, FolioId f, boolean writeDirty) {
        k.get(f, 1);
        k.mapcountAdd(f, 1);
        boolean w = writeDirty && k.vma(p, a).write();
        k.setPte(p, a, new Pte.Present(f, w, writeDirty, writeDirty, false));
    }

    /** A new anon folio mapped once: folio_add_new_anon_rmap(), which sets PG_anon_exclusive from v5.19. */
    static FolioId newAnonFolio(Kernel k, Pid p, Vaddr a, Data data) {
        k.setVma(p, a, k.vma(p, a).withAnonVma());
        FolioId f = k.allocAnon(data);
        k.get(f, 1);
        k.mapcountAdd(f, 1);
        if (k.profile.tracksAnonExclusive()) k.setFlag(f, FolioFlag.ANON_EXCLUSIVE, true);
        return f;
    }

    /**
     * mm/memory.c: do_wp_page(): a write (or unshare) fault on a present R/O PTE. The page is vm_normal_page()'s:
     * NULL for the zeropage, raw PFNs and FSDAX blocks. Shared mappings get wp_page_shared() (a page) or
     * wp_pfn_shared() (no page), and DAX its ->pfn_mkwrite. In a private mapping an anon page goes to the era's reuse
     * rule; anything else is copied (wp_page_copy()), except that an unshare fault on it does nothing before v6.2
     * (8d6a0ac09a16). Returns false for VM_FAULT_SIGBUS.
     */
    static boolean doWpPage(Kernel k, Pid p, Vaddr a, boolean unshare) {
        if (k.trace) k.call(unshare ? "do_wp_page(FAULT_FLAG_UNSHARE)" : "do_wp_page");
        Vma vma = k.vma(p, a);
        if (!unshare) Userfaultfd.wpFault(k, p, a, ((Pte.Present) k.pte(p, a)).uffdWp());
        Pte.Present pr = (Pte.Present) k.pte(p, a);
        FolioId page = MemoryInsert.vmNormalPage(k, p, a, pr);
        if (vma.kind().shared()) {
            if (unshare) {
                k.call("FAULT_FLAG_UNSHARE on a shared mapping: treated as a read fault");
                return true;
            }
            if (vma.kind().fsdax()) return Dax.pfnMkwrite(k, p, a);
            if (k.trace) k.call(page == null ? "wp_pfn_shared" : "wp_page_shared");
            k.setPte(p, a, vma.write() ? pr.mkdirty().mkwrite() : pr.mkdirty());
            return true;
        }
        if (page == null || page.isZero() || !k.folio(page).isAnon()) {
            if (unshare && k.profile.pinUnshare() != PinUnshare.ALSO_LONGTERM_NON_ANON) {
                k.call("unshare of a non-anon page: nothing to do");
                return true;
            }
            wpPageCopy(k, p, a, unshare, page != null);
            return true;
        }
        FolioId f = page;
        if (!canReuseAnon(k, f, p, pr.dirty())) {
            wpPageCopy(k, p, a, unshare, true);
            return true;
        }
        if (unshare) {
            k.call("unshare: the page is exclusive now, the PTE stays R/O");
            return true;
        }
        k.call("wp_page_reuse");
        k.setPte(p, a, vma.write() ? pr.mkdirty().mkwrite() : pr.mkdirty());
        return true;
    }

    /** The era's reuse rule for an anon folio in do_wp_page(). May drop the swapcache; may set PG_anon_exclusive. */
    private static boolean canReuseAnon(Kernel k, FolioId f, Pid p, boolean pteDirty) {
        if (k.large(f)) return canReuseLargeSubpage(k, f, p);
        Folio folio = k.folio(f);
        var plugin = k.profile.plugin(dev.mmcheck.model.profile.DecisionPoint.WP_REUSE, dev.mmcheck.model.plugin.WpReuseRule.class);
        if (plugin.isPresent()) {
            boolean reuse = plugin.get().reuse(Views.page(k, p, f, pteDirty));
            k.call("wp_can_reuse_anon_folio: plugin:" + plugin.get().name() + (reuse ? " reuses" : " copies"));
            if (reuse && k.profile.tracksAnonExclusive()) {
                k.call("folio_move_anon_rmap: SetPageAnonExclusive");
                k.setFlag(f, FolioFlag.ANON_EXCLUSIVE, true);
            }
            return reuse;
        }
        switch (k.profile.wpReuse()) {
            case REUSE_SWAP_PAGE_KSM_COPIED -> {
                // v4.8-v5.0: if (PageAnon(old_page) && !PageKsm(old_page)) { ... reuse_swap_page() }, else copy
                if (folio.has(FolioFlag.KSM)) return false;
                return Swapfile.reuseSwapPage(k, f);
            }
            case REUSE_SWAP_PAGE -> {
                if (folio.has(FolioFlag.KSM)) {
                    // v5.7/v5.8: if (PageKsm && (PageSwapCache || page_count != 1)) goto copy; reuse_ksm_page()
                    // freezes a refcount of 1 and page_move_anon_rmap() turns the page back into a plain anon page.
                    if (folio.has(FolioFlag.SWAPCACHE) || folio.refcount() != 1) return false;
                    k.call("reuse_ksm_page");
                    k.setFlag(f, FolioFlag.KSM, false);
                    return true;
                }
                return Swapfile.reuseSwapPage(k, f);
            }
            case PAGE_COUNT -> {
                // v5.9: if (PageKsm || page_count != 1) copy; trylock; if (PageKsm || mapcount != 1 || page_count != 1) copy
                if (k.trace) k.call("page_count " + folio.refcount() + ", mapcount " + folio.mapcount());
                return !folio.has(FolioFlag.KSM) && folio.refcount() == 1 && folio.mapcount() == 1;
            }
            case PAGE_COUNT_FREE_SWAP -> {
                return refcountReuse(k, f);
            }
            case ANON_EXCLUSIVE -> {
                if (folio.has(FolioFlag.ANON_EXCLUSIVE)) {
                    k.call("PageAnonExclusive: reuse");
                    return true;
                }
                if (!refcountReuse(k, f)) return false;
                k.call("page_move_anon_rmap: SetPageAnonExclusive");
                k.setFlag(f, FolioFlag.ANON_EXCLUSIVE, true);
                return true;
            }
        }
        throw new IllegalStateException();
    }

    /**
     * do_wp_page() on a PTE-mapped subpage of a large anon folio: an exclusive subpage is reused (v5.19+, per subpage);
     * otherwise before v6.9 the small-folio rule of the release on the folio-wide counts (so another mapped subpage
     * keeps the refcount above 1), v6.9-v6.14 never (781a3ca5c345), v6.15+ the CONFIG_MM_ID rule.
     */
    private static boolean canReuseLargeSubpage(Kernel k, FolioId f, Pid p) {
        if (k.profile.tracksAnonExclusive() && k.has(f, FolioFlag.ANON_EXCLUSIVE)) {
            k.call("PageAnonExclusive(subpage): reuse");
            return true;
        }
        boolean reuse = switch (k.profile.largeAnonReuse()) {
            case AS_SMALL -> switch (k.profile.wpReuse()) {
                case REUSE_SWAP_PAGE_KSM_COPIED, REUSE_SWAP_PAGE -> HugeMemory.reuseSwapPage(k, f);
                case PAGE_COUNT -> {
                    if (k.trace) k.call("page_count " + k.refcount(f) + ", mapcount " + k.folio(f).mapcount() + " (folio-wide refcount)");
                    yield k.refcount(f) == 1 && k.folio(f).mapcount() == 1;
                }
                case PAGE_COUNT_FREE_SWAP, ANON_EXCLUSIVE -> HugeMemory.refcountReuse(k, f);
            };
            case NEVER -> {
                k.call("wp_can_reuse_anon_folio: a large folio is never reused (781a3ca5c345)");
                yield false;
            }
            case MM_ID -> largeMmIdReuse(k, f, p);
        };
        if (reuse && k.profile.tracksAnonExclusive()) {
            k.call("folio_move_anon_rmap: SetPageAnonExclusive(subpage)");
            k.setFlag(f, FolioFlag.ANON_EXCLUSIVE, true);
        }
        return reuse;
    }

    /**
     * __wp_can_reuse_large_anon_folio() (v6.15+): not if at most one page is mapped (free the large folio instead), not
     * if mapped by another MM (FOLIO_MM_IDS_SHARED), then free the swapcache and reuse iff every reference is a mapping.
     */
    private static boolean largeMmIdReuse(Kernel k, FolioId f, Pid p) {
        int mapped = k.totalMapcount(f);
        if (mapped <= 1) {
            k.call("folio_large_mapcount <= 1: copy and free the large folio");
            return false;
        }
        if (mappedByOther(k, f, p)) {
            k.call("FOLIO_MM_IDS_SHARED: maybe mapped by another MM, copy");
            return false;
        }
        if (k.has(f, FolioFlag.SWAPCACHE)) Swapfile.tryToFreeSwap(k, f);
        if (k.trace) k.call("folio_large_mapcount " + k.totalMapcount(f) + ", refcount " + k.refcount(f));
        return k.totalMapcount(f) == k.refcount(f);
    }

    /** Whether a process other than p maps a page of the folio (by PTE or PMD). */
    static boolean mappedByOther(Kernel k, FolioId f, Pid p) {
        FolioId h = k.head(f);
        for (int q = 0; q < k.processCount(); q++) {
            if (q == p.index() || !k.process(new Pid(q)).alive()) continue;
            var proc = k.process(new Pid(q));
            for (Pmd pmd : proc.pmds()) {
                if (pmd instanceof Pmd.Huge x && x.folio().equals(h)) return true;
            }
            for (Pte pte : proc.ptes()) {
                if (pte instanceof Pte.Present pr && !pr.folio().isAnyZero() && k.head(pr.folio()).equals(h)) return true;
            }
        }
        return false;
    }

    /**
     * v5.18 do_wp_page() / v6.5+ wp_can_reuse_anon_folio() for small folios: if (Ksm || ref > 3) copy;
     * if (ref > 1 + SwapCache) copy; if (SwapCache) try_to_free_swap(); reuse iff !Ksm && ref == 1.
     */
    private static boolean refcountReuse(Kernel k, FolioId f) {
        Folio folio = k.folio(f);
        int swapcache = folio.has(FolioFlag.SWAPCACHE) ? 1 : 0;
        if (folio.has(FolioFlag.KSM) || folio.refcount() > 1 + swapcache) {
            if (k.trace) k.call("page_count " + folio.refcount() + " > 1 + PageSwapCache: copy");
            return false;
        }
        if (swapcache == 1) Swapfile.tryToFreeSwap(k, f);
        return k.folio(f).refcount() == 1;
    }

    /**
     * mm/memory.c: wp_page_copy(): a new exclusive anon page with the old content (zero-filled for the
     * zeropage; copied from the user address for a raw PFN, __wp_page_copy_user()), mapped writable and dirty, or
     * R/O for an unshare fault (keeping soft-dirty). If vm_normal_page() gave a page, it loses the mapping:
     * page_remove_rmap(), free_swap_cache(), put_page(); a PTE without a page is just replaced.
     */
    private static void wpPageCopy(Kernel k, Pid p, Vaddr a, boolean unshare, boolean hadPage) {
        if (k.trace) k.call(hadPage ? "wp_page_copy" : "wp_page_copy (no struct page: copy from the user address)");
        Pte.Present old = (Pte.Present) k.pte(p, a);
        FolioId nf = newAnonFolio(k, p, a, k.data(old.folio()));
        Vma vma = k.vma(p, a);
        k.setPte(p, a, unshare ? new Pte.Present(nf, false, false, old.softDirty(), false)
                : new Pte.Present(nf, vma.write(), true, true, false));
        if (hadPage) unmapFolio(k, old.folio());
    }

    /** page_remove_rmap() of one mapping, then free_swap_cache() and put_page(). */
    static void unmapFolio(Kernel k, FolioId f) {
        k.mapcountAdd(f, -1);
        if (!f.isZero()) Swapfile.freeSwapCache(k, f);
        k.put(f, 1);
    }

    /** mm/memory.c: do_swap_page(). */
    static void doSwapPage(Kernel k, Pid p, Vaddr a, Pte.Swap sw, Fault fault) {
        k.call("do_swap_page");
        SwapSlot slot = sw.slot();
        FolioId f;
        if (k.slot(slot).cache() >= 0) {
            f = new FolioId(k.slot(slot).cache());
            if (k.trace) k.call("swapcache hit: " + f);
        } else {
            f = k.allocAnon(k.slot(slot).data());
            k.setFolio(f, k.folio(f).with(FolioFlag.SWAPCACHE).withSwapSlot(slot.index()));
            k.get(f, 1);
            k.setSlot(slot, k.slot(slot).withCache(f.index()));
            if (k.trace) k.call("swapin_readahead: read into new swapcache " + f);
        }
        if (k.has(f, FolioFlag.ANON_EXCLUSIVE)) {
            // BUG_ON(PageAnon(page) && PageAnonExclusive(page)) in do_swap_page()
            throw new IllegalStateException("kernel BUG: swapcache folio is PageAnonExclusive");
        }
        k.get(f, 1); // the fault's reference, which the new PTE keeps
        k.setVma(p, a, k.vma(p, a).withAnonVma());
        boolean write = fault == Fault.WRITE;
        boolean ksm = k.has(f, FolioFlag.KSM);
        Vma vma = k.vma(p, a);
        boolean exclusive = false;
        boolean writable = false;
        switch (k.profile.swapInReuse()) {
            case REUSE_SWAP_PAGE -> {
                // v5.7-v5.17: if (FAULT_FLAG_WRITE && reuse_swap_page(page)) maybe_mkwrite(pte_mkdirty()); then swap_free()
                writable = write && Swapfile.reuseSwapPage(k, f);
                Swapfile.swapFree(k, slot);
            }
            case PAGE_COUNT -> {
                // v5.18 (c145e0b47c77): swap_free(); should_try_to_free_swap(); writable iff write && !Ksm && page_count == 1
                Swapfile.swapFree(k, slot);
                shouldTryToFreeSwap(k, f, write);
                writable = write && !ksm && k.refcount(f) == 1;
            }
            case EXCLUSIVE -> {
                Swapfile.swapFree(k, slot);
                shouldTryToFreeSwap(k, f, write);
                exclusive = !ksm && (sw.exclusive() || k.refcount(f) == 1);
                writable = write && exclusive;
            }
            case EXCLUSIVE_MAP_WRITABLE -> {
                Swapfile.swapFree(k, slot);
                exclusive = !ksm && (sw.exclusive() || k.refcount(f) == 1);
                boolean softDirtyWantsFault = vma.softDirtyTracking() && !sw.softDirty();
                // v6.11: writable unless the monitor wants the uffd-wp fault or soft-dirty wants a fault
                writable = exclusive && vma.write() && !softDirtyWantsFault && !(sw.uffdWp() && vma.uffdWp());
            }
        }
        // the uffd-wp bit comes back with the page, which is then mapped read-only (pte_mkuffd_wp)
        if (sw.uffdWp()) writable = false;
        boolean dirty = write && writable;
        k.setPte(p, a, new Pte.Present(f, writable && vma.write(), dirty, sw.softDirty() || dirty, false, false, sw.uffdWp()));
        k.mapcountAdd(f, 1);
        if (exclusive && k.profile.tracksAnonExclusive()) {
            k.call("RMAP_EXCLUSIVE");
            k.setFlag(f, FolioFlag.ANON_EXCLUSIVE, true);
        }
        if (k.profile.swapInReuse() == SwapInReuse.EXCLUSIVE_MAP_WRITABLE) {
            shouldTryToFreeSwap(k, f, write);
        }
        if (write && !dirty) {
            doWpPage(k, p, a, false);
        }
    }

    /**
     * should_try_to_free_swap() (v5.18+): with swap never full and no mlock, a write fault on a non-KSM
     * folio whose only references are the swapcache's and this fault's (or the new mapping's) drops the
     * swapcache, if no other swap PTE still uses the slot.
     */
    private static void shouldTryToFreeSwap(Kernel k, FolioId f, boolean write) {
        Folio folio = k.folio(f);
        if (write && folio.has(FolioFlag.SWAPCACHE) && !folio.has(FolioFlag.KSM) && k.refcount(f) == 2) {
            Swapfile.tryToFreeSwap(k, f);
        }
    }

    /**
     * Fork's copy of one PTE: mm/memory.c copy_one_pte() (v5.7/v5.8), copy_present_pte() and
     * copy_nonpresent_pte() (v5.9+). The child's VMA is already in place.
     */
    static void copyPte(Kernel k, Pid parent, Pid child, Vaddr a) {
        copyPte(k, parent, child, a, null);
    }

    /**
     * copy_pte_range() for one PTE; {@code decided}, when not null, is what an earlier step of a fork split into steps
     * found when it checked whether the page may be pinned ({@link #checkPinnedAtFork}).
     */
    static void copyPte(Kernel k, Pid parent, Pid child, Vaddr a, Boolean decided) {
        Vma vma = k.vma(parent, a);
        Pte pte = k.pte(parent, a);
        switch (pte) {
            case Pte.None n -> {
            }
            case Pte.Swap sw -> {
                // swap_duplicate(); from v5.19 "Mark the swap entry as shared": clear the parent's exclusive bit
                Swapfile.swapDuplicate(k, sw.slot());
                if (sw.exclusive()) k.setPte(parent, a, new Pte.Swap(sw.slot(), false, sw.softDirty(), sw.uffdWp()));
                k.setPte(child, a, new Pte.Swap(sw.slot(), false, sw.softDirty(), childKeepsUffdWp(k, child, a, sw.uffdWp())));
            }
            case Pte.UffdMarker m -> {
                boolean copy = k.profile.uffdMarkerFork() == dev.mmcheck.model.profile.Decisions.UffdMarkerFork.COPY
                        || k.vma(child, a).uffdWp();
                if (k.trace) k.call(copy ? "copy_nonpresent_pte: copy the uffd-wp marker" : "copy_nonpresent_pte: the child has no VM_UFFD_WP, no marker");
                if (copy) k.setPte(child, a, m);
            }
            case Pte.Present pr -> copyPresentPte(k, parent, child, a, vma, pr, decided);
            case Pte.Migration m -> {
                // copy_nonpresent_pte(): a writable (v5.19+: or readable-exclusive) entry becomes readable in both
                Pte.Migration readable = new Pte.Migration(m.page(), Pte.MigrationKind.READABLE, m.softDirty(), m.uffdWp());
                boolean wp = childKeepsUffdWp(k, child, a, m.uffdWp());
                boolean downgrade = m.kind() == Pte.MigrationKind.WRITABLE || (m.kind() == Pte.MigrationKind.READABLE_EXCLUSIVE
                        && k.profile.migrationEntryFork() == dev.mmcheck.model.profile.Decisions.MigrationEntryFork.MAKE_READABLE);
                if (downgrade && vma.isCow()) {
                    k.call("copy_nonpresent_pte: migration entry made readable in parent and child");
                    k.setPte(parent, a, readable);
                    k.setPte(child, a, new Pte.Migration(m.page(), Pte.MigrationKind.READABLE, m.softDirty(), wp));
                } else {
                    k.setPte(child, a, new Pte.Migration(m.page(), m.kind(), m.softDirty(), wp));
                }
            }
            case Pte.DevicePrivate d -> DeviceMemory.copyDevicePrivate(k, parent, child, a, d);
            case Pte.DeviceExclusive d -> {
                // copy_nonpresent_pte(): try_restore_exclusive_pte(), then copy the present PTE
                DeviceMemory.restoreExclusive(k, parent, a);
                copyPresentPte(k, parent, child, a, vma, (Pte.Present) k.pte(parent, a), decided);
            }
            case Pte.Hwpoison h -> {
                k.call("copy_nonpresent_pte: hwpoison entry copied as is");
                k.setPte(child, a, h);
            }
        }
    }

    /**
     * Whether the child's PTE keeps the uffd-wp bit: v5.7-v5.13 (b569a1760782) the test read the parent's VMA, so the
     * bit survived even when the child VMA lost VM_UFFD_WP; v5.14+ (8f34f1eac382) only if the child VMA has it.
     */
    static boolean childKeepsUffdWp(Kernel k, Pid child, Vaddr a, boolean bit) {
        if (!bit) return false;
        return k.profile.uffdWpFork() == dev.mmcheck.model.profile.Decisions.UffdWpFork.SRC_VMA || k.vma(child, a).uffdWp();
    }

    private static void copyPresentPte(Kernel k, Pid parent, Pid child, Vaddr a, Vma vma, Pte.Present pr, Boolean decided) {
        FolioId f = MemoryInsert.vmNormalPage(k, parent, a, pr);
        if (f == null) {
            // No struct page to reference: copy the PTE as is (write-protected in a COW mapping).
            Pte.Present copy = new Pte.Present(pr.folio(), pr.write(), pr.dirty(), pr.softDirty(), pr.special(), false,
                    childKeepsUffdWp(k, child, a, pr.uffdWp()));
            if (vma.isCow() && pr.write()) {
                k.call("ptep_set_wrprotect: parent and child map it R/O");
                copy = copy.wrprotect();
                k.setPte(parent, a, pr.wrprotect());
            }
            if (vma.kind().shared()) copy = copy.mkclean();
            k.call("copy_present_pte: vm_normal_page() is NULL, the PTE is copied without a reference");
            k.setPte(child, a, copy);
            return;
        }
        boolean anon = !f.isZero() && k.folio(f).isAnon();
        if (anon && vma.isCow() && (decided != null ? decided : needsCopyAtFork(k, parent, f, pr.dirty()))) {
            copyPresentPage(k, child, a, f, pr.uffdWp());
            return;
        }
        if (anon && k.profile.tracksAnonExclusive() && k.has(f, FolioFlag.ANON_EXCLUSIVE)) {
            k.call("page_try_dup_anon_rmap: ClearPageAnonExclusive");
            k.setFlag(f, FolioFlag.ANON_EXCLUSIVE, false);
        }
        k.get(f, 1);
        k.mapcountAdd(f, 1);
        Pte.Present copy = pr;
        if (vma.isCow() && pr.write()) {
            k.call("ptep_set_wrprotect: parent and child map it R/O");
            copy = pr.wrprotect();
            k.setPte(parent, a, copy);
        }
        if (vma.kind().shared()) copy = copy.mkclean();
        boolean keep = childKeepsUffdWp(k, child, a, pr.uffdWp());
        if (copy.uffdWp() != keep) copy = new Pte.Present(copy.folio(), copy.write(), copy.dirty(), copy.softDirty(), copy.special(), copy.zeroRef(), keep);
        k.setPte(child, a, copy);
    }

    /**
     * copy_present_pte()'s check for one page, on its own: whether the page at {@code a} is an anon page of a COW
     * mapping that fork must copy for the child now (false for every other PTE).
     */
    static boolean checkPinnedAtFork(Kernel k, Pid parent, Vaddr a) {
        Vma vma = k.vma(parent, a);
        if (!(k.pte(parent, a) instanceof Pte.Present pr) || !vma.isCow()) return false;
        FolioId f = MemoryInsert.vmNormalPage(k, parent, a, pr);
        if (f == null || f.isZero() || !k.folio(f).isAnon()) return false;
        return needsCopyAtFork(k, parent, f, pr.dirty());
    }

    /**
     * Whether fork must give the child its own copy now. v5.9-v5.18 copy_present_page(): the src mm
     * has_pinned and page_maybe_dma_pinned(). v5.19+ page_try_dup_anon_rmap() returns -EBUSY only for a
     * PageAnonExclusive page with page_needs_cow_for_dma() (MMF_HAS_PINNED && maybe pinned).
     */
    private static boolean needsCopyAtFork(Kernel k, Pid parent, FolioId f, boolean pteDirty) {
        var plugin = k.profile.plugin(dev.mmcheck.model.profile.DecisionPoint.FORK_MAYBE_PINNED, dev.mmcheck.model.plugin.ForkCopyRule.class);
        if (plugin.isPresent()) {
            boolean copy = plugin.get().copyAtFork(Views.page(k, parent, f, pteDirty));
            k.call("copy_present_pte: plugin:" + plugin.get().name() + (copy ? " copies" : " shares"));
            return copy;
        }
        if (k.profile.forkPinned() != ForkPinned.COPY) return false;
        boolean maybePinned = k.process(parent).hasPinned() && k.maybePinned(f);
        if (k.profile.tracksAnonExclusive()) {
            return maybePinned && k.has(f, FolioFlag.ANON_EXCLUSIVE);
        }
        return maybePinned;
    }

    /** mm/memory.c: copy_present_page(): the child gets a new exclusive copy, writable if VM_WRITE; the parent keeps its page. */
    private static void copyPresentPage(Kernel k, Pid child, Vaddr a, FolioId f, boolean uffdWp) {
        k.call("copy_present_page: maybe pinned, the child gets a copy now");
        FolioId nf = newAnonFolio(k, child, a, k.data(f));
        // v5.14+: the copy keeps the uffd-wp bit (R/O) if the child's VMA has VM_UFFD_WP; before, it was lost
        boolean wp = uffdWp && k.profile.uffdWpFork() == dev.mmcheck.model.profile.Decisions.UffdWpFork.DST_VMA
                && k.vma(child, a).uffdWp();
        k.setPte(child, a, new Pte.Present(nf, k.vma(child, a).write() && !wp, true, true, false, false, wp));
    }

    /**
     * mm/memory.c: zap_pte_range() for one PTE: page_remove_rmap() and the TLB batch's
     * free_pages_and_swap_cache() for a present page, free_swap_and_cache() for a swap entry. The
     * owner's GUP references at the address stop being promised coherence.
     */
    static void zapPte(Kernel k, Pid p, Vaddr a) {
        zapPte(k, p, a, true);
    }

    /**
     * zap_pte_range() for one PTE. Without ZAP_FLAG_DROP_MARKER (MADV_DONTNEED, unmap_mapping_range(); not munmap or
     * exit) a write-protected file or shmem PTE leaves a uffd-wp marker and an existing marker stays (v5.19+); anon
     * memory drops everything.
     */
    static void zapPte(Kernel k, Pid p, Vaddr a, boolean dropMarker) {
        HugeMemory.splitIfPmd(k, p, a, "zap_pmd_range on part of the PMD");
        Pte pte = k.pte(p, a);
        if (pte instanceof Pte.UffdMarker m && !dropMarker && !k.vma(p, a).kind().anon()) {
            k.call("zap_pte_range: keep the uffd-wp marker");
            detachRefs(k, p, a);
            return;
        }
        switch (pte) {
            case Pte.None n -> {
            }
            case Pte.Present pr -> {
                FolioId page = MemoryInsert.vmNormalPage(k, p, a, pr);
                k.setPte(p, a, Pte.NONE);
                if (page != null) {
                    if (k.trace) k.call("zap_pte_range: unmap " + page);
                    unmapFolio(k, page);
                } else {
                    if (k.trace) k.call("zap_pte_range: clear the PTE of " + pr.folio() + " (vm_normal_page() is NULL: nothing to put)");
                }
            }
            case Pte.Swap sw -> {
                if (k.trace) k.call("zap_pte_range: free_swap_and_cache(" + sw.slot() + ")");
                k.setPte(p, a, Pte.NONE);
                Swapfile.freeSwapAndCache(k, sw.slot());
            }
            case Pte.Migration m -> {
                k.call("zap_pte_range: clear the migration entry (the migration keeps its reference)");
                k.setPte(p, a, Pte.NONE);
            }
            case Pte.DevicePrivate d -> {
                if (k.trace) k.call("zap_pte_range: unmap device page " + d.page());
                k.setPte(p, a, Pte.NONE);
                unmapFolio(k, d.page());
            }
            case Pte.DeviceExclusive d -> {
                if (k.trace) k.call("zap_pte_range: device-exclusive entry of " + d.page());
                k.setPte(p, a, Pte.NONE);
                if (k.profile.deviceExclusive() == dev.mmcheck.model.profile.Decisions.DeviceExclusive.KEEP_MAPCOUNT) {
                    unmapFolio(k, d.page());
                } else {
                    k.put(d.page(), 1);
                }
            }
            case Pte.Hwpoison h -> {
                k.call("zap_pte_range: clear the hwpoison entry");
                k.setPte(p, a, Pte.NONE);
            }
            case Pte.UffdMarker m -> {
                k.call("zap_pte_range: drop the uffd-wp marker");
                k.setPte(p, a, Pte.NONE);
            }
        }
        if (!dropMarker) Userfaultfd.installMarkerIfNeeded(k, p, a, pte);
        detachRefs(k, p, a);
    }

    /** The owner's GUP references at the address stop being promised coherence (it unmapped or zapped it). */
    static void detachRefs(Kernel k, Pid p, Vaddr a) {
        List<GupRef> refs = List.copyOf(k.refs());
        for (GupRef r : refs) {
            if (r.owner().equals(p) && r.addr().equals(a) && !r.detached()) k.replaceRef(r, r.detach());
        }
    }
}
