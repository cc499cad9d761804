package dev.reprise.android

import android.content.Context
import android.content.pm.PackageManager
import android.content.res.Configuration
import android.os.Build
import dev.reprise.NetworkType
import dev.reprise.Orientation
import dev.reprise.Platform
import dev.reprise.SessionMetadata
import java.util.TimeZone

/** The session's device, OS, display and app, read from the platform at start. */
internal object DeviceMetadata {
    const val SDK_VERSION = "0.1.0"

    fun read(context: Context, network: NetworkType): SessionMetadata {
        val resources = context.resources
        val metrics = resources.displayMetrics
        val configuration = resources.configuration
        val (versionName, versionCode) = appVersion(context)
        return SessionMetadata(
            platform = Platform.ANDROID,
            osName = "Android",
            osVersion = Build.VERSION.RELEASE ?: "",
            deviceManufacturer = Build.MANUFACTURER ?: "",
            deviceModel = Build.MODEL ?: "",
            screenWidthPx = metrics.widthPixels.toUInt(),
            screenHeightPx = metrics.heightPixels.toUInt(),
            density = metrics.density,
            orientation = orientation(configuration),
            locale = locale(configuration),
            timeZone = TimeZone.getDefault().id,
            appId = context.packageName,
            appVersion = versionName,
            appBuild = versionCode,
            sdkVersion = SDK_VERSION,
            network = network,
        )
    }

    fun orientation(configuration: Configuration): Orientation =
        if (configuration.orientation == Configuration.ORIENTATION_LANDSCAPE) Orientation.LANDSCAPE else Orientation.PORTRAIT

    fun locale(configuration: Configuration): String =
        if (configuration.locales.isEmpty) "" else configuration.locales[0].toLanguageTag()

    /** The app's version name and code, or empty strings when the package manager says nothing. */
    private fun appVersion(context: Context): Pair<String, String> = try {
        val info = context.packageManager.getPackageInfo(context.packageName, 0)
        val code = if (Build.VERSION.SDK_INT >= 28) info.longVersionCode else {
            @Suppress("DEPRECATION")
            info.versionCode.toLong()
        }
        (info.versionName ?: "") to code.toString()
    } catch (e: PackageManager.NameNotFoundException) {
        "" to ""
    } catch (e: RuntimeException) {
        "" to ""
    }
}
