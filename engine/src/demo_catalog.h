#pragma once
// Fixed tables of the demo scenario: products, names, places, carriers. Changing them
// changes every demo store (same seed, other events); tests only rely on the shape.

#include <cstdint>
#include <span>
#include <string_view>

namespace chronoscope::demo {

struct Product {
    std::string_view sku;
    std::string_view name;
    std::int64_t priceCents;  // EUR
};

struct City {
    std::string_view name;
    std::string_view country;       // ISO 3166-1 alpha-2
    std::string_view postalFormat;  // '#' is a random digit, '?' a random capital letter
};

struct Carrier {
    std::string_view name;
    std::string_view trackingFormat;  // as postalFormat
};

std::span<const Product> products();
std::span<const std::string_view> firstNames();
std::span<const std::string_view> lastNames();
std::span<const std::string_view> streets();
std::span<const City> cities();
std::span<const Carrier> carriers();
std::span<const std::string_view> emailDomains();
std::span<const std::string_view> cancelReasons();   // by the customer, before shipping
std::span<const std::string_view> returnReasons();
std::span<const std::string_view> deliveryRecipients();

}  // namespace chronoscope::demo
