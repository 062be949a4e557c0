package org.example.mmcheck;

import dev.mmcheck.model.plugin.MprotectUpgradeRule;
import dev.mmcheck.model.plugin.PageView;

/**
 * The 2025 mprotect() batching proposal as a rule: change_pte_range() upgrades the PTEs of a large anonymous folio
 * to writable in one batch when the folio is not mapped by another MM (folio_maybe_mapped_shared() false), instead
 * of testing PageAnonExclusive on each page as can_change_pte_writable() does. Small folios keep the per-page test.
 *
 * <p>The review pointed out that a folio once shared with a child that has since exited is mapped by this MM only
 * while its pages are no longer exclusive; mapping them writable lets a later write bypass COW under a pin.
 */
public final class MprotectBatching implements MprotectUpgradeRule {
    @Override
    public boolean canChangeWritable(PageView page) {
        if (!page.anon()) return false;
        return page.large() ? !page.mappedByOtherMm() : page.anonExclusive();
    }

    @Override
    public String name() {
        return "mprotect-batching";
    }

    @Override
    public String citation() {
        return "2025 mprotect() batching proposal: one writable upgrade per large folio when !folio_maybe_mapped_shared() "
                + "(review of Dev Jain's 'mm: Optimize mprotect() by PTE-batching' series; its v4 of 2025-06-28 "
                + "batches by sub-batches of equal PageAnonExclusive instead)";
    }
}
