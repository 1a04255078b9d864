# -DTOKENS_SANITIZE=ON: AddressSanitizer + UndefinedBehaviorSanitizer on everything, and UB is fatal
# so that a test run fails instead of printing a warning nobody reads.
if(TOKENS_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
  # Request fibers switch stacks: Boost.Context's ucontext flavour tells AddressSanitizer when it does
  # (the default assembly flavour does not, and ASan would take the switches for stack corruption).
  add_compile_definitions(BOOST_USE_UCONTEXT BOOST_USE_ASAN)
endif()
