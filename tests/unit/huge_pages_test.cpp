// store/huge_pages.h: memory comes 2 MB-aligned and zeroed, and goes back whole.

#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "store/huge_pages.h"

namespace {

using namespace tokens::store;

TEST(HugePages, ABigAllocationIsAlignedZeroedAndWritableToItsLastByte) {
  const std::size_t bytes = 3 * huge_pages::kHugePage + 12345;  // not a whole number of pages
  auto* p = static_cast<unsigned char*>(huge_pages::allocate(bytes));
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p) % huge_pages::kHugePage, 0u);
  EXPECT_EQ(p[0], 0);
  EXPECT_EQ(p[bytes - 1], 0);
  std::memset(p, 0xAB, bytes);
  EXPECT_EQ(p[bytes - 1], 0xAB);
  huge_pages::deallocate(p, bytes);
}

// The process's address space (VmSize), in kB.
long addressSpaceKb() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmSize:", 0) == 0) return std::stol(line.substr(7));
  return -1;
}

TEST(HugePages, TakesNoMoreAddressSpaceThanAskedAndGivesItAllBack) {
  const std::size_t bytes = 32 * huge_pages::kHugePage;  // 64 MB
  const long before = addressSpaceKb();
  ASSERT_GT(before, 0);
  auto* p = huge_pages::allocate(bytes);
  // The page over-asked for alignment is trimmed off again.
  EXPECT_EQ(addressSpaceKb() - before, static_cast<long>(bytes / 1024));
  huge_pages::deallocate(p, bytes);
  for (int i = 0; i < 50; ++i) huge_pages::deallocate(huge_pages::allocate(bytes), bytes);
  EXPECT_EQ(addressSpaceKb(), before);
}

}  // namespace
