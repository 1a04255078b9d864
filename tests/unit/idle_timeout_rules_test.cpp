// SPEC §4: the idle token timeout setting, its defaults, its validation, and the timeout of one token.

#include <algorithm>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "domain/directory.h"
#include "domain/idle_timeout.h"

namespace {

using namespace tokens::domain;
using PureCloudPlatformClientV2::InactivityTimeoutGroupBundle;
using PureCloudPlatformClientV2::InactivityTimeoutUnit;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAreArray;
using std::chrono::seconds;

InactivityTimeoutGroupBundle bundle(std::optional<int> priority, std::optional<int> timeoutSeconds,
                                    std::optional<std::vector<std::string>> groups,
                                    std::optional<InactivityTimeoutUnit> unit = std::nullopt) {
  InactivityTimeoutGroupBundle b;
  b.priority = priority;
  b.timeoutSeconds = timeoutSeconds;
  b.groups = std::move(groups);
  b.inactivityTimeoutUnit = unit;
  return b;
}

std::vector<std::string> fieldNames(const std::vector<FieldError>& errors) {
  std::vector<std::string> names;
  for (const auto& e : errors) names.push_back(e.fieldName);
  return names;
}

class IdleTimeoutRules : public ::testing::Test {
 protected:
  void SetUp() override {
    directory.add(acme);
    directory.add(mercy);
    directory.add(Group{"g-support", "acme", "Support"});
    directory.add(Group{"g-eng", "acme", "Engineering"});
    directory.add(Group{"g-nurses", "mercy", "Nurses"});
  }

  std::vector<FieldError> validate(const IdleTokenTimeout& body, const Organization& org) {
    std::vector<FieldError> errors;
    stored = normaliseIdleTokenTimeout(body, org, directory, errors);
    return errors;
  }
  std::vector<std::string> errorFields(const IdleTokenTimeout& body, const Organization& org) {
    return fieldNames(validate(body, org));
  }
  IdleTokenTimeout withSeconds(int s) {
    IdleTokenTimeout t;
    t.idleTokenTimeoutSeconds = s;
    return t;
  }
  IdleTokenTimeout withBundles(std::vector<InactivityTimeoutGroupBundle> bundles) {
    IdleTokenTimeout t;
    t.inactivityTimeoutGroupsEnabled = true;
    t.inactivityTimeoutGroupBundles = std::move(bundles);
    return t;
  }

  Organization acme{"acme", "Acme", false};
  Organization mercy{"mercy", "Mercy", true};
  Directory directory;
  IdleTokenTimeout stored;
};

// ---- defaults ----------------------------------------------------------------------------------------

TEST_F(IdleTimeoutRules, DefaultIsTheDecidedOne) {
  const auto t = defaultIdleTokenTimeout(acme);
  EXPECT_EQ(t.idleTokenTimeoutSeconds, 1800);
  EXPECT_EQ(t.enableIdleTokenTimeout, false);
  EXPECT_EQ(t.inactivityTimeoutUnit, InactivityTimeoutUnit::Minutes);
  EXPECT_EQ(t.inactivityTimeoutGroupsEnabled, false);
  ASSERT_TRUE(t.inactivityTimeoutGroupBundles);  // present, as an empty array
  EXPECT_THAT(*t.inactivityTimeoutGroupBundles, IsEmpty());
}

TEST_F(IdleTimeoutRules, HipaaDefaultIsItselfAValidHipaaValue) {
  const auto t = defaultIdleTokenTimeout(mercy);
  EXPECT_EQ(t.idleTokenTimeoutSeconds, 900);
  EXPECT_EQ(t.enableIdleTokenTimeout, false);
  EXPECT_THAT(validate(IdleTokenTimeout{}, mercy), IsEmpty());
  EXPECT_EQ(stored, t);
}

TEST_F(IdleTimeoutRules, EmptyBodyStoresTheDefault) {
  EXPECT_THAT(validate(IdleTokenTimeout{}, acme), IsEmpty());
  EXPECT_EQ(stored, defaultIdleTokenTimeout(acme));
}

TEST_F(IdleTimeoutRules, FieldsLeftOutTakeTheDefaults) {
  IdleTokenTimeout body;
  body.enableIdleTokenTimeout = true;
  EXPECT_THAT(validate(body, acme), IsEmpty());
  EXPECT_EQ(stored.idleTokenTimeoutSeconds, 1800);
  EXPECT_EQ(stored.enableIdleTokenTimeout, true);
  EXPECT_EQ(stored.inactivityTimeoutUnit, InactivityTimeoutUnit::Minutes);
  EXPECT_EQ(stored.inactivityTimeoutGroupsEnabled, false);
  ASSERT_TRUE(stored.inactivityTimeoutGroupBundles);
  EXPECT_THAT(*stored.inactivityTimeoutGroupBundles, IsEmpty());
}

TEST_F(IdleTimeoutRules, ABodyReplacesTheSettingWhole) {
  IdleTokenTimeout body;
  body.idleTokenTimeoutSeconds = 3600;
  body.enableIdleTokenTimeout = true;
  body.inactivityTimeoutUnit = InactivityTimeoutUnit::Hours;
  body.inactivityTimeoutGroupsEnabled = true;
  body.inactivityTimeoutGroupBundles = std::vector{bundle(2, 600, std::vector<std::string>{"g-support", "g-eng"}),
                                                   bundle(1, 300, std::vector<std::string>{"g-eng"},
                                                          InactivityTimeoutUnit::Hours)};
  EXPECT_THAT(validate(body, acme), IsEmpty());
  EXPECT_EQ(stored, body);
}

TEST_F(IdleTimeoutRules, ExplicitFalseIsKept) {
  IdleTokenTimeout body;
  body.enableIdleTokenTimeout = false;
  body.inactivityTimeoutGroupsEnabled = false;
  EXPECT_THAT(validate(body, acme), IsEmpty());
  EXPECT_EQ(stored.enableIdleTokenTimeout, false);
  EXPECT_EQ(stored.inactivityTimeoutGroupsEnabled, false);
}

// ---- idleTokenTimeoutSeconds -------------------------------------------------------------------------

TEST_F(IdleTimeoutRules, OrganizationSecondsRange) {
  EXPECT_THAT(errorFields(withSeconds(299), acme), ElementsAre("idleTokenTimeoutSeconds"));
  EXPECT_THAT(errorFields(withSeconds(300), acme), IsEmpty());
  EXPECT_EQ(stored.idleTokenTimeoutSeconds, 300);
  EXPECT_THAT(errorFields(withSeconds(28800), acme), IsEmpty());
  EXPECT_THAT(errorFields(withSeconds(28801), acme), ElementsAre("idleTokenTimeoutSeconds"));
  EXPECT_THAT(errorFields(withSeconds(0), acme), ElementsAre("idleTokenTimeoutSeconds"));
  EXPECT_THAT(errorFields(withSeconds(-300), acme), ElementsAre("idleTokenTimeoutSeconds"));
}

TEST_F(IdleTimeoutRules, HipaaMaximumIs900) {
  EXPECT_THAT(errorFields(withSeconds(900), mercy), IsEmpty());
  EXPECT_THAT(errorFields(withSeconds(300), mercy), IsEmpty());
  EXPECT_THAT(errorFields(withSeconds(299), mercy), ElementsAre("idleTokenTimeoutSeconds"));
  const auto errors = validate(withSeconds(901), mercy);
  ASSERT_THAT(fieldNames(errors), ElementsAre("idleTokenTimeoutSeconds"));
  EXPECT_THAT(errors[0].message, ::testing::HasSubstr("900"));
  EXPECT_THAT(errorFields(withSeconds(1800), mercy), ElementsAre("idleTokenTimeoutSeconds"));
}

TEST_F(IdleTimeoutRules, OutOfRangeSecondsAreCheckedEvenWhenDisabled) {
  IdleTokenTimeout body = withSeconds(10);
  body.enableIdleTokenTimeout = false;
  EXPECT_THAT(errorFields(body, acme), ElementsAre("idleTokenTimeoutSeconds"));
}

// ---- units -------------------------------------------------------------------------------------------

TEST_F(IdleTimeoutRules, UnitIsMinutesOrHours) {
  IdleTokenTimeout body;
  body.inactivityTimeoutUnit = InactivityTimeoutUnit::Hours;
  EXPECT_THAT(errorFields(body, acme), IsEmpty());
  EXPECT_EQ(stored.inactivityTimeoutUnit, InactivityTimeoutUnit::Hours);
  body.inactivityTimeoutUnit = InactivityTimeoutUnit::Minutes;
  EXPECT_THAT(errorFields(body, acme), IsEmpty());
  body.inactivityTimeoutUnit = InactivityTimeoutUnit::outdated_sdk_version;  // what "Days" reads as
  EXPECT_THAT(errorFields(body, acme), ElementsAre("inactivityTimeoutUnit"));
}

TEST_F(IdleTimeoutRules, BundleUnitIsMinutesOrHours) {
  auto body = withBundles({bundle(1, 600, std::vector<std::string>{"g-support"}, InactivityTimeoutUnit::Hours),
                           bundle(2, 600, std::vector<std::string>{"g-eng"},
                                  InactivityTimeoutUnit::outdated_sdk_version)});
  EXPECT_THAT(errorFields(body, acme), ElementsAre("inactivityTimeoutGroupBundles[1].inactivityTimeoutUnit"));
}

// ---- bundles -----------------------------------------------------------------------------------------

TEST_F(IdleTimeoutRules, BundlePriorityIsRequiredAndFrom1To5) {
  const std::vector<std::string> g{"g-support"};
  EXPECT_THAT(errorFields(withBundles({bundle(std::nullopt, 600, g)}), acme),
              ElementsAre("inactivityTimeoutGroupBundles[0].priority"));
  EXPECT_THAT(errorFields(withBundles({bundle(0, 600, g)}), acme),
              ElementsAre("inactivityTimeoutGroupBundles[0].priority"));
  EXPECT_THAT(errorFields(withBundles({bundle(6, 600, g)}), acme),
              ElementsAre("inactivityTimeoutGroupBundles[0].priority"));
  EXPECT_THAT(errorFields(withBundles({bundle(-1, 600, g)}), acme),
              ElementsAre("inactivityTimeoutGroupBundles[0].priority"));
  EXPECT_THAT(errorFields(withBundles({bundle(1, 600, g), bundle(2, 600, g), bundle(3, 600, g), bundle(4, 600, g),
                                       bundle(5, 600, g)}),
                          acme),
              IsEmpty());
}

TEST_F(IdleTimeoutRules, BundlePrioritiesAreUnique) {
  const std::vector<std::string> g{"g-support"};
  EXPECT_THAT(errorFields(withBundles({bundle(2, 600, g), bundle(1, 600, g), bundle(2, 900, g)}), acme),
              ElementsAre("inactivityTimeoutGroupBundles[2].priority"));
  // An out-of-range priority does not count as taken.
  EXPECT_THAT(errorFields(withBundles({bundle(9, 600, g), bundle(9, 600, g)}), acme),
              ElementsAre("inactivityTimeoutGroupBundles[0].priority", "inactivityTimeoutGroupBundles[1].priority"));
}

TEST_F(IdleTimeoutRules, BundleTimeoutIsRequiredAndInRange) {
  const std::vector<std::string> g{"g-support"};
  EXPECT_THAT(errorFields(withBundles({bundle(1, std::nullopt, g)}), acme),
              ElementsAre("inactivityTimeoutGroupBundles[0].timeoutSeconds"));
  EXPECT_THAT(errorFields(withBundles({bundle(1, 299, g)}), acme),
              ElementsAre("inactivityTimeoutGroupBundles[0].timeoutSeconds"));
  EXPECT_THAT(errorFields(withBundles({bundle(1, 300, g), bundle(2, 28800, g)}), acme), IsEmpty());
  EXPECT_THAT(errorFields(withBundles({bundle(1, 28801, g)}), acme),
              ElementsAre("inactivityTimeoutGroupBundles[0].timeoutSeconds"));
}

TEST_F(IdleTimeoutRules, HipaaBundleTimeoutMaximumIs900) {
  const std::vector<std::string> g{"g-nurses"};
  EXPECT_THAT(errorFields(withBundles({bundle(1, 900, g)}), mercy), IsEmpty());
  EXPECT_THAT(errorFields(withBundles({bundle(1, 901, g)}), mercy),
              ElementsAre("inactivityTimeoutGroupBundles[0].timeoutSeconds"));
}

TEST_F(IdleTimeoutRules, BundleGroupsAreRequiredAndNotEmpty) {
  EXPECT_THAT(errorFields(withBundles({bundle(1, 600, std::nullopt)}), acme),
              ElementsAre("inactivityTimeoutGroupBundles[0].groups"));
  EXPECT_THAT(errorFields(withBundles({bundle(1, 600, std::vector<std::string>{})}), acme),
              ElementsAre("inactivityTimeoutGroupBundles[0].groups"));
}

TEST_F(IdleTimeoutRules, BundleGroupsMustBeGroupsOfTheOrganization) {
  const auto errors =
      errorFields(withBundles({bundle(1, 600, std::vector<std::string>{"g-support", "g-nope", "g-nurses", "g-eng"})}),
                  acme);
  EXPECT_THAT(errors, ElementsAre("inactivityTimeoutGroupBundles[0].groups[1]",
                                  "inactivityTimeoutGroupBundles[0].groups[2]"));
  // The same group is fine in its own organization.
  EXPECT_THAT(errorFields(withBundles({bundle(1, 600, std::vector<std::string>{"g-nurses"})}), mercy), IsEmpty());
}

TEST_F(IdleTimeoutRules, GroupIdsAreNotMatchedLoosely) {
  EXPECT_THAT(errorFields(withBundles({bundle(1, 600, std::vector<std::string>{"G-SUPPORT"})}), acme),
              ElementsAre("inactivityTimeoutGroupBundles[0].groups[0]"));
  EXPECT_THAT(errorFields(withBundles({bundle(1, 600, std::vector<std::string>{""})}), acme),
              ElementsAre("inactivityTimeoutGroupBundles[0].groups[0]"));
}

TEST_F(IdleTimeoutRules, BundlesAreValidatedEvenWhenGroupsAreDisabled) {
  IdleTokenTimeout body;
  body.inactivityTimeoutGroupsEnabled = false;
  body.inactivityTimeoutGroupBundles = std::vector{bundle(7, 600, std::vector<std::string>{"g-support"})};
  EXPECT_THAT(errorFields(body, acme), ElementsAre("inactivityTimeoutGroupBundles[0].priority"));
}

TEST_F(IdleTimeoutRules, EveryErrorIsReportedAtOnce) {
  IdleTokenTimeout body;
  body.idleTokenTimeoutSeconds = 5;
  body.inactivityTimeoutUnit = InactivityTimeoutUnit::outdated_sdk_version;
  body.inactivityTimeoutGroupsEnabled = true;
  body.inactivityTimeoutGroupBundles = std::vector{
      bundle(1, 600, std::vector<std::string>{"g-support"}),                                  // fine
      bundle(std::nullopt, std::nullopt, std::nullopt, InactivityTimeoutUnit::outdated_sdk_version),  // all wrong
      bundle(1, 100000, std::vector<std::string>{"g-eng", "g-unknown"}),                     // duplicate, range, group
  };
  const auto errors = validate(body, acme);
  EXPECT_THAT(fieldNames(errors), UnorderedElementsAreArray(std::vector<std::string>{
                                      "idleTokenTimeoutSeconds",
                                      "inactivityTimeoutUnit",
                                      "inactivityTimeoutGroupBundles[1].priority",
                                      "inactivityTimeoutGroupBundles[1].timeoutSeconds",
                                      "inactivityTimeoutGroupBundles[1].inactivityTimeoutUnit",
                                      "inactivityTimeoutGroupBundles[1].groups",
                                      "inactivityTimeoutGroupBundles[2].priority",
                                      "inactivityTimeoutGroupBundles[2].timeoutSeconds",
                                      "inactivityTimeoutGroupBundles[2].groups[1]",
                                  }));
  for (const auto& e : errors) EXPECT_FALSE(e.message.empty()) << e.fieldName;
}

// ---- the timeout of one token ------------------------------------------------------------------------

class EffectiveIdleTimeout : public ::testing::Test {
 protected:
  IdleTokenTimeout setting = defaultIdleTokenTimeout(Organization{"acme", "Acme", false});
  const std::vector<std::string> support{"g-support"};
  const std::vector<std::string> supportAndEng{"g-eng", "g-support"};
  const std::vector<std::string> none{};
};

TEST_F(EffectiveIdleTimeout, NoneByDefault) {
  EXPECT_EQ(effectiveIdleTimeout(setting, support), std::nullopt);
  EXPECT_EQ(effectiveIdleTimeout(setting, none), std::nullopt);
  EXPECT_EQ(effectiveIdleTimeout(IdleTokenTimeout{}, none), std::nullopt);
}

TEST_F(EffectiveIdleTimeout, OrganizationValueWhenEnabled) {
  setting.enableIdleTokenTimeout = true;
  setting.idleTokenTimeoutSeconds = 600;
  EXPECT_EQ(effectiveIdleTimeout(setting, support), seconds{600});
  EXPECT_EQ(effectiveIdleTimeout(setting, none), seconds{600});
}

TEST_F(EffectiveIdleTimeout, BundlesOnlyWhenGroupsAreEnabled) {
  setting.inactivityTimeoutGroupBundles = std::vector{bundle(1, 300, support)};
  setting.inactivityTimeoutGroupsEnabled = false;
  EXPECT_EQ(effectiveIdleTimeout(setting, support), std::nullopt);
  setting.enableIdleTokenTimeout = true;
  EXPECT_EQ(effectiveIdleTimeout(setting, support), seconds{1800});
  setting.inactivityTimeoutGroupsEnabled = true;
  EXPECT_EQ(effectiveIdleTimeout(setting, support), seconds{300});
}

TEST_F(EffectiveIdleTimeout, BundleAppliesEvenWhenTheOrganizationTimeoutIsDisabled) {
  setting.enableIdleTokenTimeout = false;
  setting.inactivityTimeoutGroupsEnabled = true;
  setting.inactivityTimeoutGroupBundles = std::vector{bundle(1, 450, support)};
  EXPECT_EQ(effectiveIdleTimeout(setting, support), seconds{450});
  EXPECT_EQ(effectiveIdleTimeout(setting, none), std::nullopt);  // not in any bundle, org value disabled
  EXPECT_EQ(effectiveIdleTimeout(setting, std::vector<std::string>{"g-eng"}), std::nullopt);
}

TEST_F(EffectiveIdleTimeout, SmallestPriorityNumberWinsNotSmallestTimeout) {
  setting.inactivityTimeoutGroupsEnabled = true;
  setting.inactivityTimeoutGroupBundles =
      std::vector{bundle(3, 300, std::vector<std::string>{"g-support"}),
                  bundle(1, 7200, std::vector<std::string>{"g-other", "g-eng"}),
                  bundle(2, 600, std::vector<std::string>{"g-support"})};
  EXPECT_EQ(effectiveIdleTimeout(setting, supportAndEng), seconds{7200});
  EXPECT_EQ(effectiveIdleTimeout(setting, support), seconds{600});

  // The order of the bundles in the list does not matter.
  std::reverse(setting.inactivityTimeoutGroupBundles->begin(), setting.inactivityTimeoutGroupBundles->end());
  EXPECT_EQ(effectiveIdleTimeout(setting, supportAndEng), seconds{7200});
  EXPECT_EQ(effectiveIdleTimeout(setting, support), seconds{600});
}

TEST_F(EffectiveIdleTimeout, UsersInNoBundleFallBackToTheOrganizationValue) {
  setting.enableIdleTokenTimeout = true;
  setting.idleTokenTimeoutSeconds = 1200;
  setting.inactivityTimeoutGroupsEnabled = true;
  setting.inactivityTimeoutGroupBundles = std::vector{bundle(1, 300, std::vector<std::string>{"g-eng"})};
  EXPECT_EQ(effectiveIdleTimeout(setting, support), seconds{1200});
  EXPECT_EQ(effectiveIdleTimeout(setting, none), seconds{1200});
  EXPECT_EQ(effectiveIdleTimeout(setting, supportAndEng), seconds{300});
}

TEST_F(EffectiveIdleTimeout, BundleTimeoutMayBeLongerThanTheOrganizationValue) {
  setting.enableIdleTokenTimeout = true;
  setting.idleTokenTimeoutSeconds = 300;
  setting.inactivityTimeoutGroupsEnabled = true;
  setting.inactivityTimeoutGroupBundles = std::vector{bundle(4, 14400, support)};
  EXPECT_EQ(effectiveIdleTimeout(setting, support), seconds{14400});
}

TEST_F(EffectiveIdleTimeout, GroupsEnabledWithoutBundles) {
  setting.inactivityTimeoutGroupsEnabled = true;
  setting.inactivityTimeoutGroupBundles = std::nullopt;
  EXPECT_EQ(effectiveIdleTimeout(setting, support), std::nullopt);
  setting.enableIdleTokenTimeout = true;
  EXPECT_EQ(effectiveIdleTimeout(setting, support), seconds{1800});
}

}  // namespace
