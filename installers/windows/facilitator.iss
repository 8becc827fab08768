; Facilitator's Windows installer (Inno Setup 6.3 or newer): a per-user install that needs no
; administrator, a Start-menu entry for the window, and an uninstaller that leaves the records alone.
; Built by installers/windows.py:
;   iscc /DAppVersion=0.1.0 /DBundle=<repo>\dist\facilitator /O<repo>\dist facilitator.iss
; Bundle is PyInstaller's one-folder output (facilitator.exe, facilitator-window.exe, _internal\).

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=<version> ...
#endif
#ifndef Bundle
  #error Pass the PyInstaller folder: iscc /DBundle=<folder holding facilitator-window.exe> ...
#endif

[Setup]
; The same id for every release, so a new version installs over the old one. Never change it.
AppId={{A22ECCC0-7B79-4F45-8791-91466E6EE604}
AppName=Facilitator
AppVersion={#AppVersion}
AppPublisher=The Facilitator contributors
; Per user, without a UAC prompt: {autopf} is then %LOCALAPPDATA%\Programs.
PrivilegesRequired=lowest
DefaultDirName={autopf}\Facilitator
DisableDirPage=yes
DisableProgramGroupPage=yes
; The GPL is shown, not to be accepted: it asks no acceptance to receive or run the program
; (GPL-3 section 9). An information page with Next only, as Git for Windows and GIMP do.
InfoBeforeFile=..\..\LICENSE
; PySide6 6.x supports Windows 10 and newer only; the bundle is 64-bit.
MinVersion=10.0
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
UninstallDisplayIcon={app}\facilitator-window.exe
UninstallDisplayName=Facilitator
OutputDir=..\..\dist
OutputBaseFilename=Facilitator-{#AppVersion}-windows-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An older version's libraries and Qt plugins must not linger beside the new ones.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Facilitator"; Filename: "{app}\facilitator-window.exe"; WorkingDir: "{app}"
Name: "{autodesktop}\Facilitator"; Filename: "{app}\facilitator-window.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\facilitator-window.exe"; Description: "{cm:LaunchProgram,Facilitator}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Python writes __pycache__ beside the migration scripts it runs; those files are not in the
; uninstall log. Only the program folder is named here: the records are in
; %LOCALAPPDATA%\Facilitator (facilitator/storage/locations.py), which this script never names.
Type: filesandordirs; Name: "{app}\_internal"
