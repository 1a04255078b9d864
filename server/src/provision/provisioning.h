#pragma once
// Reads the provisioning file of SPEC §6 into a Directory. A bad file is refused whole, with a message
// naming the file, the line and the field.

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/directory.h"

namespace tokens::provision {

class ProvisioningError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Provisioning {
  domain::Directory directory;
  /// Client secrets given in clear in the file (id, secret): the server keeps only their hashes, but can
  /// warm its verification cache with them at start-up.
  std::vector<std::pair<std::string, std::string>> clearSecrets;
};

/// Parses provisioning TOML. `sourceName` is the file name used in error messages.
Provisioning parseProvisioning(std::string_view text, std::string_view sourceName);
Provisioning loadProvisioningFile(const std::string& path);

}  // namespace tokens::provision
