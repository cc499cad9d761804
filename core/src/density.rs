//! [`Density`]: pixels per dp (Android's density, iOS's screen scale), and the one rule for a
//! value a platform reports that cannot be used.

/// Pixels per dp (point), always finite and positive: a NaN, infinite, zero or negative density
/// reported by a platform is taken as 1.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Density(f32);

impl Density {
    /// The density a platform reported, or 1 when it is not [usable](Density::is_usable).
    pub fn new(px_per_dp: f32) -> Self {
        Density(if Density::is_usable(px_per_dp) { px_per_dp } else { 1.0 })
    }

    /// Whether a reported density can be used as is: finite and positive.
    pub fn is_usable(px_per_dp: f32) -> bool {
        px_per_dp.is_finite() && px_per_dp > 0.0
    }

    /// Pixels per dp.
    pub fn get(self) -> f32 {
        self.0
    }
}

impl Default for Density {
    /// One pixel per dp.
    fn default() -> Self {
        Density(1.0)
    }
}

impl From<f32> for Density {
    fn from(px_per_dp: f32) -> Self {
        Density::new(px_per_dp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unusable_densities_are_one() {
        assert_eq!(Density::new(2.75).get(), 2.75);
        for bad in [0.0, -2.0, f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
            assert_eq!(Density::new(bad).get(), 1.0, "{bad}");
            assert!(!Density::is_usable(bad));
        }
        assert_eq!(Density::default().get(), 1.0);
    }
}
