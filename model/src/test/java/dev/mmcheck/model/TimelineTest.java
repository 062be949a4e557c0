package dev.mmcheck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mmcheck.model.profile.DecisionPoint;
import dev.mmcheck.model.profile.Profile;
import dev.mmcheck.model.profile.Profiles;
import dev.mmcheck.model.profile.Release;
import dev.mmcheck.model.profile.Timeline;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The choices of a few releases on the timeline, pinned whole (every decision point), so that a timeline edit shows up
 * as a diff of what a release does. The oldest, the v5.11 swap and clear_refs fixes, c8070b787519 (v6.5), the seed 000
 * change (v6.11), and the newest.
 */
class TimelineTest {
    private static String choices(String tag) {
        Profile p = Profiles.named(tag).orElseThrow();
        List<String> items = new ArrayList<>();
        for (DecisionPoint<?> d : DecisionPoint.ALL) items.add(d.name() + "=" + p.get(d).specName());
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < items.size(); i += 4) {
            b.append(String.join(" ", items.subList(i, Math.min(i + 4, items.size())))).append('\n');
        }
        return b.toString();
    }

    @Test
    void everyReleaseAndNamedProfileMakesChoicesThatFitTogether() {
        for (Profile p : Profiles.ALL) {
            assertEquals(List.of(), dev.mmcheck.model.profile.Constraints.conflicts(p), p.name());
        }
        // And the constraints have teeth: the example, an unshare rule without PG_anon_exclusive.
        Profile bad = Profiles.named("v5.18").orElseThrow().with(DecisionPoint.PIN_UNSHARE,
                DecisionPoint.PIN_UNSHARE.choice("anon-not-exclusive").orElseThrow());
        assertEquals(1, dev.mmcheck.model.profile.Constraints.conflicts(bad).size());
    }

    @Test
    void v4_8() {
        assertEquals("""
                wp-reuse=reuse-swap-page-ksm-copied gup-cow-break=only-foll-write pin-unshare=never fork-maybe-pinned=share
                anon-exclusive=absent swap-pte-exclusive=absent swap-in-reuse=reuse-swap-page swap-out-pinned=unmap
                mprotect-upgrade=never-private clear-refs-pinned=wrprotect ksm-write-protect=refcount-check pte-special=present
                soft-dirty=present pin-accounting=get-reference ksm-break-cow=write-fault zeropage-pin=refcounted
                zeropage-insert=refcounted pages-stat-walk=follow-page-dump dax-hole=pagecache-page fsdax-mixedmap=set
                fsdax-longterm=allowed skeys-zeropage=zap ksm-zero-pages=absent gup-fast=bail-on-special
                remap-pfn-cow-pgoff=set storage-keys=absent thp-wp-reuse=mapcount-copy-thp huge-zero-wp=alloc-thp
                large-anon-reuse=as-small thp-swapout=split-always collapse-refcount=no-compound-no-shared collapse-writable=required
                hugetlb-fork-pinned=share device-exclusive=absent migration-entry-fork=make-readable pmd-split-exclusive=propagate
                uffd-wp=absent uffd-wp-unpopulated=absent uffd-wp-async=absent uffd-wp-fork=src-vma
                uffd-marker-fork=copy uffd-shmem-writenotify=no uffd-thp-migration=lose uffd-huge-zero-split=lose
                uffd-resolve=read-only uffd-unregister=keep swapoff-bits=lose uffd-collapse=refuse
                force-write=drop-foll-write uffd-continue-dirty=if-writable userptr-invalidate=drop-pages userptr-submit-check=retry
                userptr-probe=absent gup-fast-fork=unguarded gup-fast-collapse=unguarded gup-fast-unmap=unordered
                force-write-pmd=no-cow-escape touch-pmd=always-dirty thp-split-lock=racy hmm-mirror=absent
                """, choices("v4.8"));
    }

    @Test
    void v5_11() {
        assertEquals("""
                wp-reuse=page-count gup-cow-break=only-foll-write pin-unshare=never fork-maybe-pinned=copy
                anon-exclusive=absent swap-pte-exclusive=absent swap-in-reuse=reuse-swap-page swap-out-pinned=keep-out-of-swapcache
                mprotect-upgrade=never-private clear-refs-pinned=skip-maybe-pinned ksm-write-protect=refcount-check pte-special=present
                soft-dirty=present pin-accounting=pin-counting-bias ksm-break-cow=write-fault zeropage-pin=refcounted
                zeropage-insert=refcounted pages-stat-walk=follow-page-dump dax-hole=zeropage fsdax-mixedmap=cleared
                fsdax-longterm=refused skeys-zeropage=zap ksm-zero-pages=special gup-fast=bail-on-special
                remap-pfn-cow-pgoff=set storage-keys=absent thp-wp-reuse=mapcount-split huge-zero-wp=split
                large-anon-reuse=as-small thp-swapout=split-if-no-pmd collapse-refcount=refcount-matches-mapcount collapse-writable=required
                hugetlb-fork-pinned=share device-exclusive=absent migration-entry-fork=make-readable pmd-split-exclusive=propagate
                uffd-wp=anon uffd-wp-unpopulated=absent uffd-wp-async=absent uffd-wp-fork=src-vma
                uffd-marker-fork=copy uffd-shmem-writenotify=no uffd-thp-migration=lose uffd-huge-zero-split=lose
                uffd-resolve=read-only uffd-unregister=keep swapoff-bits=lose uffd-collapse=refuse
                force-write=foll-cow-dirty uffd-continue-dirty=if-writable userptr-invalidate=drop-pages userptr-submit-check=retry
                userptr-probe=absent gup-fast-fork=write-protect-seq gup-fast-collapse=unguarded gup-fast-unmap=unordered
                force-write-pmd=cow-dirty touch-pmd=dirty-if-write thp-split-lock=page-lock hmm-mirror=read-retry
                """, choices("v5.11"));
    }

    @Test
    void v6_5() {
        assertEquals("""
                wp-reuse=anon-exclusive gup-cow-break=only-foll-write pin-unshare=also-longterm-non-anon fork-maybe-pinned=copy
                anon-exclusive=tracked swap-pte-exclusive=present swap-in-reuse=exclusive swap-out-pinned=refuse
                mprotect-upgrade=anon-exclusive clear-refs-pinned=skip-maybe-pinned ksm-write-protect=refcount-check-and-share pte-special=present
                soft-dirty=present pin-accounting=pin-counting-bias ksm-break-cow=unshare-fault zeropage-pin=pin-skips-zeropage
                zeropage-insert=refcounted pages-stat-walk=follow-page-dump dax-hole=zeropage fsdax-mixedmap=cleared
                fsdax-longterm=refused skeys-zeropage=zap ksm-zero-pages=special gup-fast=bail-on-special
                remap-pfn-cow-pgoff=set storage-keys=absent thp-wp-reuse=anon-exclusive-split huge-zero-wp=split
                large-anon-reuse=as-small thp-swapout=split-if-no-pmd collapse-refcount=refcount-matches-mapcount collapse-writable=required
                hugetlb-fork-pinned=copy device-exclusive=drop-mapcount migration-entry-fork=make-readable pmd-split-exclusive=propagate
                uffd-wp=anon-shmem uffd-wp-unpopulated=available uffd-wp-async=absent uffd-wp-fork=dst-vma
                uffd-marker-fork=dst-vma uffd-shmem-writenotify=yes uffd-thp-migration=keep uffd-huge-zero-split=keep
                uffd-resolve=try-writable uffd-unregister=reset swapoff-bits=keep uffd-collapse=refuse
                force-write=anon-exclusive uffd-continue-dirty=always userptr-invalidate=wait-keep-pins userptr-submit-check=retry
                userptr-probe=available gup-fast-fork=write-protect-seq gup-fast-collapse=pmd-recheck-ipi gup-fast-unmap=mb-ordered
                force-write-pmd=cow-dirty touch-pmd=dirty-if-write thp-split-lock=page-lock hmm-mirror=read-retry
                """, choices("v6.5"));
    }

    @Test
    void v6_11() {
        assertEquals("""
                wp-reuse=anon-exclusive gup-cow-break=only-foll-write pin-unshare=also-longterm-non-anon fork-maybe-pinned=copy
                anon-exclusive=tracked swap-pte-exclusive=present swap-in-reuse=exclusive-map-writable swap-out-pinned=refuse
                mprotect-upgrade=anon-exclusive clear-refs-pinned=skip-maybe-pinned ksm-write-protect=refcount-check-and-share pte-special=present
                soft-dirty=present pin-accounting=pin-counting-bias ksm-break-cow=unshare-fault zeropage-pin=pin-skips-zeropage
                zeropage-insert=special pages-stat-walk=follow-page-dump dax-hole=zeropage fsdax-mixedmap=cleared
                fsdax-longterm=refused skeys-zeropage=unshare ksm-zero-pages=special-dirty gup-fast=bail-on-special
                remap-pfn-cow-pgoff=set storage-keys=absent thp-wp-reuse=anon-exclusive-split huge-zero-wp=split
                large-anon-reuse=never thp-swapout=split-if-partially-mapped collapse-refcount=refcount-matches-mapcount collapse-writable=required
                hugetlb-fork-pinned=copy device-exclusive=drop-mapcount migration-entry-fork=make-readable pmd-split-exclusive=propagate
                uffd-wp=anon-shmem uffd-wp-unpopulated=available uffd-wp-async=available uffd-wp-fork=dst-vma
                uffd-marker-fork=dst-vma uffd-shmem-writenotify=yes uffd-thp-migration=keep uffd-huge-zero-split=keep
                uffd-resolve=try-writable uffd-unregister=reset swapoff-bits=keep uffd-collapse=refuse
                force-write=anon-exclusive uffd-continue-dirty=always userptr-invalidate=no-wait userptr-submit-check=retry
                userptr-probe=available gup-fast-fork=write-protect-seq gup-fast-collapse=pmd-recheck-ipi gup-fast-unmap=mb-ordered
                force-write-pmd=cow-dirty touch-pmd=dirty-if-write thp-split-lock=page-lock hmm-mirror=read-retry
                """, choices("v6.11"));
    }

    @Test
    void v7_1() {
        assertEquals("""
                wp-reuse=anon-exclusive gup-cow-break=only-foll-write pin-unshare=also-longterm-non-anon fork-maybe-pinned=copy
                anon-exclusive=tracked swap-pte-exclusive=present swap-in-reuse=exclusive-map-writable swap-out-pinned=refuse
                mprotect-upgrade=anon-exclusive clear-refs-pinned=skip-maybe-pinned ksm-write-protect=refcount-check-and-share pte-special=present
                soft-dirty=present pin-accounting=pin-counting-bias ksm-break-cow=unshare-fault zeropage-pin=pin-skips-zeropage
                zeropage-insert=special pages-stat-walk=folio-walk dax-hole=zeropage fsdax-mixedmap=cleared
                fsdax-longterm=refused skeys-zeropage=unshare ksm-zero-pages=special-dirty gup-fast=bail-on-special
                remap-pfn-cow-pgoff=set storage-keys=absent thp-wp-reuse=anon-exclusive-split huge-zero-wp=alloc-thp
                large-anon-reuse=mm-id thp-swapout=split-if-partially-mapped collapse-refcount=refcount-matches-mapcount collapse-writable=not-required
                hugetlb-fork-pinned=copy device-exclusive=keep-mapcount migration-entry-fork=make-readable pmd-split-exclusive=propagate
                uffd-wp=anon-shmem uffd-wp-unpopulated=available uffd-wp-async=available uffd-wp-fork=dst-vma
                uffd-marker-fork=dst-vma uffd-shmem-writenotify=yes uffd-thp-migration=keep uffd-huge-zero-split=keep
                uffd-resolve=try-writable uffd-unregister=reset swapoff-bits=keep uffd-collapse=refuse
                force-write=anon-exclusive uffd-continue-dirty=always userptr-invalidate=no-wait userptr-submit-check=retry
                userptr-probe=available gup-fast-fork=write-protect-seq gup-fast-collapse=pmd-recheck-ipi gup-fast-unmap=mb-ordered
                force-write-pmd=cow-dirty touch-pmd=dirty-if-write thp-split-lock=page-lock hmm-mirror=read-retry
                """, choices("v7.1"));
    }

    @Test
    void everyReleaseFromV48ToTheNewestResolvesAndNothingElse() {
        assertEquals(55, Timeline.RELEASES.size());
        for (Release r : Timeline.RELEASES) assertEquals(r.toString(), Profiles.named(r.toString()).orElseThrow().name());
        assertEquals(List.of(), Profiles.named("v4.7").stream().toList());
        assertEquals(List.of(), Profiles.named("v7.2").stream().toList());
        assertThrows(IllegalArgumentException.class, () -> Timeline.at(new Release(7, 2)));
    }

    @Test
    void theNamedErasAreTheirReleasesOnTheTimeline() {
        for (Profile era : Profiles.ERAS) assertEquals(Timeline.at(Release.parse(era.release())), era);
    }

    @Test
    void everyChangeNamesItsCommitAndEvidenceAndChangesSomething() {
        for (Timeline.Change c : Timeline.CHANGES) {
            assertEquals(false, c.commit().isBlank(), c.toString());
            assertEquals(false, c.evidence().isBlank(), c.toString());
            if (c.since().equals(Timeline.OLDEST)) continue;
            Release before = Timeline.RELEASES.get(Timeline.RELEASES.indexOf(c.since()) - 1);
            assertEquals(false, Timeline.at(before).get(c.point()) == c.choice(), "no change at " + c);
        }
    }
}
