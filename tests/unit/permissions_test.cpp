// Genesys Cloud permissions "domain:entity:action", with "*" for any segment of a granted permission.

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "domain/permissions.h"

namespace {

using tokens::domain::hasAnyPermission;
using tokens::domain::kOrganizationAdminPermission;
using tokens::domain::kTokenDeletePermission;
using tokens::domain::permissionCovers;

TEST(PermissionCovers, ExactMatch) {
  EXPECT_TRUE(permissionCovers("oauth:token:delete", "oauth:token:delete"));
  EXPECT_TRUE(permissionCovers("directory:organization:admin", "directory:organization:admin"));
}

TEST(PermissionCovers, AnyDifferentSegmentFails) {
  EXPECT_FALSE(permissionCovers("oauth:token:view", "oauth:token:delete"));
  EXPECT_FALSE(permissionCovers("oauth:client:delete", "oauth:token:delete"));
  EXPECT_FALSE(permissionCovers("directory:token:delete", "oauth:token:delete"));
  EXPECT_FALSE(permissionCovers("oauth:token:deleteAll", "oauth:token:delete"));
  EXPECT_FALSE(permissionCovers("oauth:token:delet", "oauth:token:delete"));
}

TEST(PermissionCovers, SegmentsAreCaseSensitive) {
  EXPECT_FALSE(permissionCovers("OAuth:token:delete", "oauth:token:delete"));
  EXPECT_FALSE(permissionCovers("oauth:token:Delete", "oauth:token:delete"));
}

TEST(PermissionCovers, WildcardInEachSegment) {
  EXPECT_TRUE(permissionCovers("oauth:token:*", "oauth:token:delete"));
  EXPECT_TRUE(permissionCovers("oauth:*:delete", "oauth:token:delete"));
  EXPECT_TRUE(permissionCovers("*:token:delete", "oauth:token:delete"));
  EXPECT_TRUE(permissionCovers("oauth:*:*", "oauth:token:delete"));
  EXPECT_TRUE(permissionCovers("*:*:*", "directory:organization:admin"));
}

TEST(PermissionCovers, WildcardOnlyCoversItsOwnSegment) {
  EXPECT_FALSE(permissionCovers("oauth:token:*", "oauth:client:delete"));
  EXPECT_FALSE(permissionCovers("oauth:*:delete", "oauth:token:view"));
  EXPECT_FALSE(permissionCovers("*:token:delete", "oauth:client:delete"));
  EXPECT_FALSE(permissionCovers("directory:*:*", "oauth:token:delete"));
}

TEST(PermissionCovers, WildcardIsNotAPrefixPattern) {
  EXPECT_FALSE(permissionCovers("oauth:token:del*", "oauth:token:delete"));
  EXPECT_FALSE(permissionCovers("oauth:tok*:delete", "oauth:token:delete"));
}

TEST(PermissionCovers, AWildcardRequirementIsOnlyCoveredByAWildcard) {
  EXPECT_FALSE(permissionCovers("oauth:token:delete", "oauth:token:*"));
  EXPECT_TRUE(permissionCovers("oauth:token:*", "oauth:token:*"));
}

TEST(PermissionCovers, WrongSegmentCountsNeverMatch) {
  EXPECT_FALSE(permissionCovers("oauth:token", "oauth:token:delete"));
  EXPECT_FALSE(permissionCovers("oauth", "oauth:token:delete"));
  EXPECT_FALSE(permissionCovers("*", "oauth:token:delete"));
  EXPECT_FALSE(permissionCovers("*:*", "oauth:token:delete"));
  EXPECT_FALSE(permissionCovers("oauth:token:delete:extra", "oauth:token:delete"));
  EXPECT_FALSE(permissionCovers("*:*:*:*", "oauth:token:delete"));
  EXPECT_FALSE(permissionCovers("oauth:token:delete", "oauth:token"));
  EXPECT_FALSE(permissionCovers("oauth:token:*", "oauth:token"));
  EXPECT_FALSE(permissionCovers("oauth:token:*", "oauth:token:delete:extra"));
  EXPECT_FALSE(permissionCovers("*:*:*", "a:b:c:d"));
}

TEST(PermissionCovers, EmptySegmentsAndStringsNeverMatch) {
  EXPECT_FALSE(permissionCovers("", ""));
  EXPECT_FALSE(permissionCovers("", "oauth:token:delete"));
  EXPECT_FALSE(permissionCovers("oauth:token:delete", ""));
  EXPECT_FALSE(permissionCovers("oauth::delete", "oauth::delete"));
  EXPECT_FALSE(permissionCovers("*:*:*", "oauth::delete"));
  EXPECT_FALSE(permissionCovers("::", "::"));
  EXPECT_FALSE(permissionCovers(":token:delete", ":token:delete"));
}

TEST(PermissionCovers, ATrailingColonIsAFourthSegment) {
  // "oauth:token:delete:" has four segments (the last one empty): it is not the permission it resembles.
  EXPECT_FALSE(permissionCovers("oauth:token:delete:", "oauth:token:delete"));
  EXPECT_FALSE(permissionCovers("*:*:*:", "oauth:token:delete"));
  EXPECT_FALSE(permissionCovers("oauth:token:*", "oauth:token:delete:"));
}

TEST(HasAnyPermission, NeedsOneGrantedCoveringOneRequired) {
  const std::vector<std::string> granted{"analytics:report:view", "oauth:token:delete"};
  EXPECT_TRUE(hasAnyPermission(granted, {kTokenDeletePermission}));
  EXPECT_FALSE(hasAnyPermission(granted, {kOrganizationAdminPermission}));
  EXPECT_TRUE(hasAnyPermission(granted, {kOrganizationAdminPermission, kTokenDeletePermission}));
}

TEST(HasAnyPermission, WildcardsCount) {
  EXPECT_TRUE(hasAnyPermission({"directory:*:*"}, {kOrganizationAdminPermission}));
  EXPECT_TRUE(hasAnyPermission({"*:*:*"}, {kTokenDeletePermission}));
  EXPECT_FALSE(hasAnyPermission({"directory:*:*"}, {kTokenDeletePermission}));
}

TEST(HasAnyPermission, EmptyListsGrantNothing) {
  EXPECT_FALSE(hasAnyPermission({}, {kTokenDeletePermission}));
  EXPECT_FALSE(hasAnyPermission({"*:*:*"}, {}));
  EXPECT_FALSE(hasAnyPermission({}, {}));
}

TEST(HasAnyPermission, MalformedGrantsAreIgnoredNotFatal) {
  EXPECT_TRUE(hasAnyPermission({"", "oauth", "garbage::", "oauth:token:delete"}, {kTokenDeletePermission}));
  EXPECT_FALSE(hasAnyPermission({"", "oauth", "garbage::"}, {kTokenDeletePermission}));
}

TEST(PermissionConstants, AreTheSpecNames) {
  EXPECT_EQ(kTokenDeletePermission, "oauth:token:delete");
  EXPECT_EQ(kOrganizationAdminPermission, "directory:organization:admin");
}

}  // namespace
