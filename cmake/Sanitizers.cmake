# -DTOKENS_SANITIZE=ON: AddressSanitizer + UndefinedBehaviorSanitizer on everything, and UB is fatal
# so that a test run fails instead of printing a warning nobody reads.
if(TOKENS_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
