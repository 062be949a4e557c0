package dev.mmcheck.model.plugin;

/**
 * Point {@code mprotect-upgrade}: whether mprotect(PROT_WRITE) (change_pte_range() / change_huge_pmd()) may map a R/O
 * PTE or PMD of a private mapping writable at once, without a write fault: can_change_pte_writable()'s private branch.
 * The model has already refused soft-dirty and uffd-wp PTEs and pages without a struct page.
 */
public interface MprotectUpgradeRule extends RulePlugin {
    boolean canChangeWritable(PageView page);

    @Override
    default String point() {
        return "mprotect-upgrade";
    }
}
