/*
 * teeth/no-folio-for-raw-pfn-reverted: a counterexample mmcheck found, as a program for a real kernel.
 * "Reverted: remap_pfn_range() without the vm_pgoff rule; vm_normal_page() returns a page for a raw
 * PFN"
 *
 * cites:    mm/memory.c: remap_pfn_range() (is_cow_mapping: vma->vm_pgoff = pfn), vm_normal_page()
 *           (!CONFIG_ARCH_HAS_PTE_SPECIAL branch)
 * profile:  v7.1+pte-special=absent+remap-pfn-cow-pgoff=not-set (release v7.1), arch x86_64
 * property: no-folio-for-raw-pfn
 * model:    vm_normal_page() returns a folio for the raw PFN folio#0 at P0 A (pfnmap-private rw
 *           VM_PFNMAP VM_IO)
 * spec:     specs/teeth/no-folio-for-raw-pfn-reverted.mmc (sha256 4db83e815400a37e...)
 *
 * The model ran with decisions v7.1 does not make:
 *   pte-special = absent (v7.1: present)
 *   remap-pfn-cow-pgoff = not-set (v7.1: set)
 * A mainline v7.1 kernel is expected to print "ok 1"; one with that change, "not ok 1".
 *
 * The setup, then the trace as mmcheck prints it:
 *   trace, 1 step:
 *    1. P0 mmap(A, PROT_READ|PROT_WRITE, MAP_PRIVATE, pfnmap-private fd)
 *         do_mmap -> remap_pfn_range: VM_IO|VM_PFNMAP, pte_mkspecial(pfn)
 *         P0 A vma: unmapped -> pfnmap-private rw VM_PFNMAP VM_IO
 *         P0 A pte: none -> folio#0 RO
 *         folio#0 new: pfn ref 0 map 0 data 0x00
 *
 * This program only reports a skip: step 1 (P0 mmap(A, PROT_READ|PROT_WRITE, MAP_PRIVATE,
 * pfnmap-private fd)) cannot be triggered from userspace: a VM_PFNMAP mapping of device memory needs a
 * driver (remap_pfn_range(), vmf_insert_pfn()).
 *
 * Build and run (as root where a step needs it: gup_test, KSM, page frame numbers):
 *   cc -Wall -O2 -o repro repro.c && ./repro
 *
 * Written by mmcheck 0.2.0 from specs/teeth/no-folio-for-raw-pfn-reverted.mmc.
 */
#include <stdio.h>

#define KSFT_SKIP 4

int main(void)
{
	printf("TAP version 13\n");
	printf("1..1\n");
	printf("ok 1 # SKIP %s\n", "step 1 (P0 mmap(A, PROT_READ|PROT_WRITE, MAP_PRIVATE, pfnmap-private fd)) cannot be triggered from userspace: a VM_PFNMAP mapping of device memory needs a driver (remap_pfn_range(), vmf_insert_pfn())");
	return KSFT_SKIP;
}
