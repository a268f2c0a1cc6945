//! The password policy (AS-3): length only, no composition rules, no common passwords.

/// Shortest accepted password, in characters.
pub const MIN_CHARS: usize = 8;
/// Length the UI recommends.
pub const RECOMMENDED_CHARS: usize = 15;
/// Longest accepted password, in bytes; checked before hashing so nobody can make us hash a novel.
pub const MAX_BYTES: usize = 1024;

/// Passwords too common to allow, lower-cased. Kept short and obvious on purpose.
const COMMON: &[&str] = &[
    "password",
    "password1",
    "password12",
    "password123",
    "passw0rd",
    "12345678",
    "123456789",
    "1234567890",
    "87654321",
    "11111111",
    "00000000",
    "qwertyui",
    "qwerty12",
    "qwerty123",
    "qwertyuiop",
    "asdfghjk",
    "iloveyou",
    "letmein1",
    "welcome1",
    "welcome123",
    "sunshine",
    "football",
    "baseball",
    "princess",
    "trustno1",
    "superman",
    "starwars",
    "whatever",
    "abc12345",
    "abcd1234",
    "changeme",
    "administrator",
    "backroom",
    "backroom1",
    "admin123",
    "admin1234",
    "monkey123",
    "dragon123",
    "master123",
    "secret123",
];

/// 20 characters from an alphabet without look-alikes (about 115 bits).
pub fn generate_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..20).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

/// Checks a new password; the error is the message to show next to the field.
pub fn check_new_password(password: &str, username: &str) -> Result<(), String> {
    if password.len() > MAX_BYTES {
        return Err(format!("Password is too long (at most {MAX_BYTES} bytes)."));
    }
    if password.chars().count() < MIN_CHARS {
        return Err(format!(
            "Password must be at least {MIN_CHARS} characters ({RECOMMENDED_CHARS} or more recommended)."
        ));
    }
    let lowered = password.to_lowercase();
    if COMMON.contains(&lowered.as_str()) {
        return Err("This password is too common. Choose another.".to_string());
    }
    if !username.is_empty() && lowered == username.to_lowercase() {
        return Err("Password must not be your username.".to_string());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_limits_apply_without_composition_rules() {
        assert!(check_new_password("short", "u").is_err());
        assert!(check_new_password("all lower case words", "u").is_ok());
        assert!(check_new_password(&"x".repeat(64), "u").is_ok());
        assert!(check_new_password(&"x".repeat(1025), "u").is_err());
    }

    #[test]
    fn common_passwords_and_the_username_are_refused() {
        assert!(check_new_password("Password123", "u").is_err());
        assert!(check_new_password("jane.doe.x", "Jane.Doe.X").is_err());
    }
}
