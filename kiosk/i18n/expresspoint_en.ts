<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>CheckResultScreen</name>
    <message numerus="yes">
        <source>%n compartment(s) do not match the records.</source>
        <translation>
            <numerusform>%n compartment does not match the records.</numerusform>
            <numerusform>%n compartments do not match the records.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CollectScreen</name>
    <message numerus="yes">
        <source>%n parcel(s) collected.</source>
        <translation>
            <numerusform>%n parcel collected.</numerusform>
            <numerusform>%n parcels collected.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Parcels to collect: %n</source>
        <translation>
            <numerusform>Parcels to collect: %n</numerusform>
            <numerusform>Parcels to collect: %n</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Countdown</name>
    <message numerus="yes">
        <source>Back to the start in %n&#xa0;s. Touch the screen to stay.</source>
        <translation>
            <numerusform>Back to the start in %n&#xa0;s. Touch the screen to stay.</numerusform>
            <numerusform>Back to the start in %n&#xa0;s. Touch the screen to stay.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CourierMenuScreen</name>
    <message numerus="yes">
        <source>Deposited on this visit: %n parcel(s).</source>
        <translation>
            <numerusform>Deposited on this visit: %n parcel.</numerusform>
            <numerusform>Deposited on this visit: %n parcels.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>To deposit here: %n parcel(s) expected.</source>
        <translation>
            <numerusform>To deposit here: %n parcel expected.</numerusform>
            <numerusform>To deposit here: %n parcels expected.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>To collect: %n parcel(s).</source>
        <translation>
            <numerusform>To collect: %n parcel.</numerusform>
            <numerusform>To collect: %n parcels.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DoneScreen</name>
    <message numerus="yes">
        <source>Forgot something? Reopen door %1 (%n&#xa0;s)</source>
        <translation>
            <numerusform>Forgot something? Reopen door %1 (%n&#xa0;s)</numerusform>
            <numerusform>Forgot something? Reopen door %1 (%n&#xa0;s)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ErrorScreen</name>
    <message numerus="yes">
        <source>%n more wrong code(s) before a short pause.</source>
        <translation>
            <numerusform>%n more wrong code before a short pause.</numerusform>
            <numerusform>%n more wrong codes before a short pause.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StaffLoginTexts</name>
    <message numerus="yes">
        <source>That did not work. %n attempt(s) left.</source>
        <translation>
            <numerusform>That did not work. %n attempt left.</numerusform>
            <numerusform>That did not work. %n attempts left.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Too many failed attempts. Try again in %n minute(s).</source>
        <translation>
            <numerusform>Too many failed attempts. Try again in %n minute.</numerusform>
            <numerusform>Too many failed attempts. Try again in %n minutes.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TechnicianDoorsScreen</name>
    <message numerus="yes">
        <source>Open all %n door(s)?</source>
        <translation>
            <numerusform>Open %n door?</numerusform>
            <numerusform>Open all %n doors?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Open the %n door(s) of this column?</source>
        <translation>
            <numerusform>Open the %n door of this column?</numerusform>
            <numerusform>Open the %n doors of this column?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n door(s) did not open.</source>
        <translation>
            <numerusform>%n door did not open.</numerusform>
            <numerusform>%n doors did not open.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TechnicianInfoScreen</name>
    <message numerus="yes">
        <source>The last %n frame(s), newest first.</source>
        <translation>
            <numerusform>The last %n frame, newest first.</numerusform>
            <numerusform>The last %n frames, newest first.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TechnicianMapScreen</name>
    <message numerus="yes">
        <source>Diagnostics: %n compartment(s)</source>
        <translation>
            <numerusform>Diagnostics: %n compartment</numerusform>
            <numerusform>Diagnostics: %n compartments</numerusform>
        </translation>
    </message>
</context>
</TS>
