// UIKit glue (NOT RUN here): what the text-field reader reads (`isSecureTextEntry` included).
#if canImport(UIKit) && !os(watchOS)
import UIKit

extension UITextField: TextFieldLike {
    public var textARGB: UInt32? { textColor.flatMap(ARGB.of) }
    public var fontPointSize: Double { Double(font?.pointSize ?? 0) }
}
#endif
