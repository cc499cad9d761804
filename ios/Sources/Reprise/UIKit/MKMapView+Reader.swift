// UIKit glue (NOT RUN here): a map is a placeholder, never its tiles or labels.
#if canImport(UIKit) && canImport(MapKit) && !os(watchOS)
import MapKit

extension MKMapView: MapViewLike {}
#endif
