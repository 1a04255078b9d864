#include "store/huge_pages.h"

#include <sys/mman.h>

#include <cstdint>
#include <new>

namespace tokens::store::huge_pages {
namespace {

std::size_t roundUp(std::size_t bytes) { return (bytes + kHugePage - 1) & ~(kHugePage - 1); }

}  // namespace

void* allocate(std::size_t bytes) {
  const auto size = roundUp(bytes);
  // Over-asks by one page and trims, so that the region starts on a 2 MB boundary: the kernel backs only
  // aligned 2 MB ranges with huge pages.
  void* raw = mmap(nullptr, size + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const auto start = reinterpret_cast<std::uintptr_t>(raw);
  const auto aligned = (start + kHugePage - 1) & ~(kHugePage - 1);
  if (aligned > start) munmap(raw, aligned - start);
  const auto end = start + size + kHugePage;
  if (end > aligned + size) munmap(reinterpret_cast<void*>(aligned + size), end - (aligned + size));
  auto* p = reinterpret_cast<void*>(aligned);
  madvise(p, size, MADV_HUGEPAGE);  // advice: without huge pages the memory works all the same
  return p;
}

void deallocate(void* p, std::size_t bytes) noexcept { munmap(p, roundUp(bytes)); }

}  // namespace tokens::store::huge_pages
