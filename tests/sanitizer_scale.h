#pragma once
// How much of a long random property test to run. CI runs every test only in the
// sanitizer build (AddressSanitizer and UndefinedBehaviorSanitizer, scripts/test-all.sh),
// where the folds through QJSEngine and the multi-megabyte values of a few tests cost
// five to ten times what they cost in the normal build. Those tests run a share of their
// rounds there: every kind of input they draw is still drawn, only fewer times. The normal
// build (`ctest --test-dir build`) runs them whole.

namespace chronoscope::testing {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kUnderAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kUnderAddressSanitizer = true;
#else
inline constexpr bool kUnderAddressSanitizer = false;
#endif
#else
inline constexpr bool kUnderAddressSanitizer = false;
#endif

// `count` in the normal build, `count / divisor` (at least 1) under the sanitizers.
constexpr int sanitizerShare(int count, int divisor)
{
    if (!kUnderAddressSanitizer) return count;
    return count / divisor > 0 ? count / divisor : 1;
}

}  // namespace chronoscope::testing
