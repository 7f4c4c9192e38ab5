#include "demo_catalog.h"

namespace chronoscope::demo {

namespace {

constexpr Product kProducts[] = {
    {"HO-1001", "Ergonomic office chair", 24900},
    {"HO-1002", "Height-adjustable desk", 41900},
    {"HO-1003", "Monitor arm, single", 5990},
    {"HO-1004", "Desk lamp with USB charger", 3490},
    {"HO-1005", "Cable management tray", 1999},
    {"HO-1006", "Felt desk mat, large", 2490},
    {"HO-1007", "Laptop stand, aluminium", 3990},
    {"HO-1008", "Footrest, adjustable", 2999},
    {"EL-2001", "Wireless mouse", 2499},
    {"EL-2002", "Mechanical keyboard, TKL", 8990},
    {"EL-2003", "USB-C hub, 7 ports", 4499},
    {"EL-2004", "27\" 4K monitor", 32900},
    {"EL-2005", "Noise-cancelling headphones", 19900},
    {"EL-2006", "Webcam 1080p", 5490},
    {"EL-2007", "USB-C charging cable, 2 m", 1290},
    {"EL-2008", "Power bank 20,000 mAh", 3990},
    {"EL-2009", "Bluetooth speaker", 6990},
    {"EL-2010", "Smart plug, 2-pack", 2490},
    {"EL-2011", "Portable SSD 1 TB", 10900},
    {"EL-2012", "E-reader, 6\"", 11990},
    {"KI-3001", "Chef's knife, 20 cm", 7900},
    {"KI-3002", "Cast-iron skillet, 28 cm", 4490},
    {"KI-3003", "Pour-over coffee set", 3990},
    {"KI-3004", "Burr coffee grinder", 12900},
    {"KI-3005", "Espresso cups, set of 4", 2490},
    {"KI-3006", "Bamboo cutting board", 1990},
    {"KI-3007", "Digital kitchen scale", 1790},
    {"KI-3008", "Glass food containers, set of 5", 3290},
    {"KI-3009", "Electric kettle, 1.7 l", 4990},
    {"KI-3010", "Stand mixer", 34900},
    {"OU-4001", "Hiking backpack, 30 l", 8990},
    {"OU-4002", "Insulated water bottle", 2490},
    {"OU-4003", "Camping lantern", 2990},
    {"OU-4004", "Two-person tent", 15900},
    {"OU-4005", "Sleeping bag, 3 seasons", 9990},
    {"OU-4006", "Trekking poles, pair", 5490},
    {"OU-4007", "Rain jacket", 12900},
    {"OU-4008", "Merino socks, 3-pack", 2790},
    {"HM-5001", "Linen bed set, queen", 11900},
    {"HM-5002", "Scented candle", 1890},
    {"HM-5003", "Throw blanket, wool", 6990},
    {"HM-5004", "Indoor plant pot, ceramic", 2290},
    {"HM-5005", "Bath towels, set of 4", 4990},
    {"HM-5006", "Wall clock", 3490},
    {"BK-6001", "Cookbook: Weeknight Dinners", 2899},
    {"BK-6002", "Novel: The Quiet Harbour", 1699},
    {"BK-6003", "Field guide to European birds", 3499},
    {"BK-6004", "Notebook, dotted, A5", 1450},
    {"TY-7001", "Wooden building blocks, 100 pcs", 3990},
    {"TY-7002", "Puzzle, 1000 pieces", 1999},
    {"TY-7003", "Board game: Harbour Traders", 3490},
};

constexpr std::string_view kFirstNames[] = {
    "Anna", "Lukas", "Sophie", "Jonas", "Emma", "Noah", "Mia", "Elias", "Lea", "Paul",
    "Clara", "Finn", "Marie", "Luca", "Hannah", "Ben", "Julia", "Milan", "Sara", "Tom",
    "Ines", "Hugo", "Chloé", "Louis", "Eva", "Daan", "Lotte", "Sem", "Lucía", "Mateo",
    "Giulia", "Marco", "Aoife", "Seán", "Zoé", "Jakub", "Ingrid", "Oskar", "Nora", "Felix",
};

constexpr std::string_view kLastNames[] = {
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
    "Martin", "Bernard", "Dubois", "Laurent", "de Jong", "Jansen", "de Vries", "Bakker",
    "García", "Fernández", "López", "Rossi", "Russo", "Ferrari", "Murphy", "Kelly",
    "Gruber", "Huber", "Peeters", "Janssens", "Novak", "Lindqvist", "Hansen", "Nieminen",
};

constexpr std::string_view kStreets[] = {
    "Hauptstraße", "Bahnhofstraße", "Lindenweg", "Gartenstraße", "Rue de la Paix",
    "Rue Victor Hugo", "Kerkstraat", "Dorpsstraat", "Calle Mayor", "Via Roma",
    "Main Street", "Schulstraße", "Mühlenweg", "Boulevard Anspach", "Prinsengracht",
    "Avenida de la Constitución", "Corso Italia", "Ringstraße", "Marktplatz", "Seeweg",
};

constexpr City kCities[] = {
    {"Berlin", "DE", "1####"},      {"Hamburg", "DE", "2####"},     {"Munich", "DE", "8####"},
    {"Cologne", "DE", "5####"},     {"Leipzig", "DE", "04###"},     {"Vienna", "AT", "1##0"},
    {"Graz", "AT", "80#0"},         {"Paris", "FR", "750##"},       {"Lyon", "FR", "6900#"},
    {"Amsterdam", "NL", "10## ??"}, {"Utrecht", "NL", "35## ??"},   {"Brussels", "BE", "10#0"},
    {"Ghent", "BE", "90#0"},        {"Madrid", "ES", "280##"},      {"Valencia", "ES", "460##"},
    {"Milan", "IT", "201##"},       {"Rome", "IT", "001##"},        {"Dublin", "IE", "D0# ?###"},
    {"Helsinki", "FI", "00##0"},    {"Ljubljana", "SI", "1000"},
};

constexpr Carrier kCarriers[] = {
    {"DHL", "JJD00014##########"},
    {"DPD", "05############"},
    {"UPS", "1Z??????##########"},
    {"GLS", "###########"},
    {"PostNL", "3S????#######"},
};

constexpr std::string_view kEmailDomains[] = {"example.com", "example.org", "example.net", "mail.example"};

constexpr std::string_view kCancelReasons[] = {
    "customer changed their mind", "ordered by mistake", "found a better price elsewhere",
    "delivery time too long", "duplicate order",
};

constexpr std::string_view kReturnReasons[] = {
    "item damaged in transit", "does not fit", "not as described", "no longer needed",
};

constexpr std::string_view kDeliveryRecipients[] = {
    "customer", "customer", "customer", "neighbour", "parcel locker", "reception",
};

}  // namespace

std::span<const Product> products() { return kProducts; }
std::span<const std::string_view> firstNames() { return kFirstNames; }
std::span<const std::string_view> lastNames() { return kLastNames; }
std::span<const std::string_view> streets() { return kStreets; }
std::span<const City> cities() { return kCities; }
std::span<const Carrier> carriers() { return kCarriers; }
std::span<const std::string_view> emailDomains() { return kEmailDomains; }
std::span<const std::string_view> cancelReasons() { return kCancelReasons; }
std::span<const std::string_view> returnReasons() { return kReturnReasons; }
std::span<const std::string_view> deliveryRecipients() { return kDeliveryRecipients; }

}  // namespace chronoscope::demo
