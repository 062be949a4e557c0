/**
 * The kernel rules, one class per kernel source file they model (Memory = mm/memory.c, Gup = mm/gup.c,
 * Vmscan = mm/vmscan.c with try_to_unmap_one() of mm/rmap.c, Swapfile = mm/swapfile.c and
 * mm/swap_state.c, Ksm = mm/ksm.c, Mprotect = mm/mprotect.c, TaskMmu = fs/proc/task_mmu.c,
 * Fork = kernel/fork.c and exit_mmap()). Each rule method cites the function it models and the
 * versions whose behaviour it encodes; era differences are read from the {@link dev.mmcheck.model.profile.Profile},
 * never coded as separate classes.
 */
package dev.mmcheck.model.rules;
