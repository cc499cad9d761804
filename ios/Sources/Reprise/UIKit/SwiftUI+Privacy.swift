// SwiftUI glue (NOT RUN here): `.reprisePrivacy(_:)` puts an invisible UIKit marker behind the
// content; the walker applies the marker's privacy to the hosting view's accessibility
// elements inside its frame (PrivacyMarkerLike, tested on Linux with fakes).
#if canImport(SwiftUI) && canImport(UIKit) && !os(watchOS)
import SwiftUI
import UIKit

final class RepriseSwiftUIPrivacyMarker: UIView, PrivacyMarkerLike {}

private struct PrivacyMarker: UIViewRepresentable {
    let privacy: PrivacyOverride
    func makeUIView(context: Context) -> RepriseSwiftUIPrivacyMarker {
        let marker = RepriseSwiftUIPrivacyMarker()
        marker.isUserInteractionEnabled = false
        marker.reprisePrivacy = privacy
        return marker
    }
    func updateUIView(_ marker: RepriseSwiftUIPrivacyMarker, context: Context) { marker.reprisePrivacy = privacy }
}

@available(iOS 13.0, tvOS 13.0, *)
extension View {
    /// Records this view's content as `privacy` says: `.mask`, `.unmask` or `.hide`.
    public func reprisePrivacy(_ privacy: PrivacyOverride) -> some View {
        background(PrivacyMarker(privacy: privacy))
    }
}
#endif
