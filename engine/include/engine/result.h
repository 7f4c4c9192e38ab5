#pragma once
// Result<T>: a value or an Error, the engine's way of reporting failure (it never
// throws). The interface is a subset of std::expected's so it can become an alias once
// the project moves to C++23.

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace chronoscope {

enum class ErrorCode {
    InvalidArgument,  // the caller gave something malformed (bad JSON, bad filter, ...)
    NotFound,         // a named event, stream or file does not exist
    Conflict,         // expected version mismatch, id reused with other content, ...
    Corruption,       // stored data fails a check (hash chain, caches, schema)
    Io,               // the file system or SQLite failed
    Unsupported,      // e.g. a store written by a newer Chronoscope
    Cancelled,        // the caller asked to stop
    Script,           // a projection script failed (throw, timeout, bad definition)
};

const char* errorCodeName(ErrorCode code);

struct Error {
    ErrorCode code;
    std::string message;  // a sentence naming what was wrong; no trailing newline
};

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_value(std::move(value)) {}
    Result(Error error) : m_value(std::move(error)) {}

    bool has_value() const { return m_value.index() == 0; }
    explicit operator bool() const { return has_value(); }

    T& value() & { return std::get<0>(m_value); }
    const T& value() const& { return std::get<0>(m_value); }
    T&& value() && { return std::get<0>(std::move(m_value)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const Error& error() const { return std::get<1>(m_value); }

private:
    std::variant<T, Error> m_value;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)) {}

    bool has_value() const { return !m_error.has_value(); }
    explicit operator bool() const { return has_value(); }
    void value() const {}
    const Error& error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

inline Error makeError(ErrorCode code, std::string message) { return Error{code, std::move(message)}; }

}  // namespace chronoscope

// Propagates the error of a Result expression to the caller.
#define CHRONO_TRY(...)                                      \
    do {                                                     \
        auto chronoTryResult_ = (__VA_ARGS__);               \
        if (!chronoTryResult_) return chronoTryResult_.error(); \
    } while (false)
