// electron-vite's main entry: the Electron app lives in ./electron (the CLI and web host have their own entries).
import './electron/app';
