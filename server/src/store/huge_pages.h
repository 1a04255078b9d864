#pragma once
// Memory for the token table's slot chunks, asked of the kernel in 2 MB pages where it gives them
// (transparent huge pages, `madvise` mode as Debian ships it).
//
// Why: verifying a token visits a random slot among a million. With 4 KB pages each such visit also
// misses the TLB, and in a virtual machine a TLB miss walks two page tables; in 2 MB pages a million
// slots take 48 TLB entries instead of 24,000 (bench/run-scale.sh, docs/scale.md). The index stays in
// ordinary pages: its doublings write a whole new array at once, and taking that in huge pages (each
// zeroed, and compacted for, when first touched) made the longest doubling up to ten times longer.

#include <cstddef>

namespace tokens::store::huge_pages {

inline constexpr std::size_t kHugePage = std::size_t{2} << 20;

/// `bytes` of zeroed memory, 2 MB-aligned, asked for in huge pages; throws std::bad_alloc.
void* allocate(std::size_t bytes);
/// Frees what allocate(bytes) returned, with the same `bytes`.
void deallocate(void* p, std::size_t bytes) noexcept;

}  // namespace tokens::store::huge_pages
