package dev.reprise.android.capture.mappers

import dev.reprise.android.capture.ViewMapper

/** The SDK's mappers, one per widget kind; apps add theirs through CaptureOptions. */
internal object BuiltInMappers {
    val all: List<ViewMapper<*>> = listOf(
        TextViewMapper,
        EditTextMapper,
        ButtonMapper,
        CompoundButtonMapper,
        ImageViewMapper,
        ProgressBarMapper,
        ScrollViewMapper,
        HorizontalScrollViewMapper,
        ListViewMapper,
        RecyclerViewMapper,
        ViewPagerMapper,
        WebViewMapper,
        SurfaceViewMapper,
        TextureViewMapper,
        MapViewMapper,
    )
}
