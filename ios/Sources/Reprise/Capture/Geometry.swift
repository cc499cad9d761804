// Points and rectangles in UIKit points, without CoreGraphics, so that the capture logic builds and
// is tested everywhere (the UIKit files convert from CGPoint and CGRect).

/// A point in points (UIKit's `CGPoint`).
public struct CapturePoint: Equatable, Hashable, Sendable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) { self.x = x; self.y = y }
    public static let zero = CapturePoint(x: 0, y: 0)
}

/// A size in points (UIKit's `CGSize`).
public struct CaptureSize: Equatable, Hashable, Sendable {
    public var width: Double
    public var height: Double
    public init(width: Double, height: Double) { self.width = width; self.height = height }
    public static let zero = CaptureSize(width: 0, height: 0)
}

/// A rectangle in points (UIKit's `CGRect`).
public struct CaptureRect: Equatable, Hashable, Sendable {
    public var origin: CapturePoint
    public var size: CaptureSize
    public init(x: Double, y: Double, width: Double, height: Double) {
        origin = CapturePoint(x: x, y: y)
        size = CaptureSize(width: width, height: height)
    }
    public static let zero = CaptureRect(x: 0, y: 0, width: 0, height: 0)
    public var minX: Double { origin.x }
    public var minY: Double { origin.y }
    public var maxX: Double { origin.x + size.width }
    public var maxY: Double { origin.y + size.height }

    /// This rectangle moved by `offset`.
    public func offsetBy(_ offset: CapturePoint) -> CaptureRect {
        CaptureRect(x: origin.x + offset.x, y: origin.y + offset.y, width: size.width, height: size.height)
    }

    /// Whether `other` lies inside this rectangle (edges included).
    public func contains(_ other: CaptureRect) -> Bool {
        other.minX >= minX && other.minY >= minY && other.maxX <= maxX && other.maxY <= maxY
    }

    /// Whether the two rectangles share some area.
    public func intersects(_ other: CaptureRect) -> Bool {
        other.minX < maxX && other.maxX > minX && other.minY < maxY && other.maxY > minY
    }

    /// The core's pixel rectangle: points times `scale`.
    func pixels(_ scale: Double) -> PxRect {
        PxRect(left: Float(minX * scale), top: Float(minY * scale),
               width: Float(max(0, size.width) * scale), height: Float(max(0, size.height) * scale))
    }
}
