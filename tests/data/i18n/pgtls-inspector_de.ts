<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- A two-string German translation for TestTranslations only: proves that the programs load
     the translation for the system locale. Real translations live in translations/. -->
<TS version="2.1" language="de_DE" sourcelanguage="en">
<context>
    <name>pgtls::ui::MainWindow</name>
    <message>
        <source>&amp;Inspect</source>
        <translation>&amp;Prüfen</translation>
    </message>
</context>
<context>
    <name>pgtls::Judge</name>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
</context>
</TS>
