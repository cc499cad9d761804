// UIKit glue (NOT RUN here): `isOn` and `isEnabled` are UISwitch's own.
#if canImport(UIKit) && !os(watchOS) && !os(tvOS)
import UIKit

extension UISwitch: SwitchLike {}
#endif
