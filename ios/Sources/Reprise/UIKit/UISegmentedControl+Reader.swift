// UIKit glue (NOT RUN here): the segment titles.
#if canImport(UIKit) && !os(watchOS)
import UIKit

extension UISegmentedControl: SegmentedControlLike {
    public var segmentTitles: [String?] { (0..<numberOfSegments).map { titleForSegment(at: $0) } }
}
#endif
