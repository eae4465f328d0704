//! Closed sets of names that events and views carry: each is an enum that shows,
//! streams and fingerprints as its snake_case name, so turning a string field into one
//! changed no digest.

/// Declares an enum whose values have names (`Variant => "name"`): serialized by name,
/// `as_str` for views, `ALL` in declaration order, and hashed as its name.
macro_rules! slugs {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident => $slug:literal,)*
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize,
            serde::Deserialize,
        )]
        $vis enum $name {
            $($(#[$vmeta])* #[serde(rename = $slug)] $variant,)*
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The value's name in events and views.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $slug,)*
                }
            }
        }

        $crate::model::slug::hash_by_name!($name);
    };
}

/// Implements `Hash` for a type with `as_str` by hashing the name: the type fingerprints
/// exactly as the string it replaced.
macro_rules! hash_by_name {
    ($name:ty) => {
        impl std::hash::Hash for $name {
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                self.as_str().hash(state);
            }
        }
    };
}

pub(crate) use {hash_by_name, slugs};
