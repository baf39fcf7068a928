<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
    <context>
        <name>Countdown</name>
        <message numerus="yes">
            <source>Back to the start in %n s. Touch the screen to stay.</source>
            <translation>
                <numerusform>Back to the start in %n s. Touch the screen to stay.</numerusform>
                <numerusform>Back to the start in %n s. Touch the screen to stay.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>DoneScreen</name>
        <message numerus="yes">
            <source>Forgot something? Reopen door %1 (%n s)</source>
            <translation>
                <numerusform>Forgot something? Reopen door %1 (%n s)</numerusform>
                <numerusform>Forgot something? Reopen door %1 (%n s)</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>ErrorScreen</name>
        <message numerus="yes">
            <source>Please try again in %n minute(s).</source>
            <translation>
                <numerusform>Please try again in %n minute.</numerusform>
                <numerusform>Please try again in %n minutes.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Please try again in %n second(s).</source>
            <translation>
                <numerusform>Please try again in %n second.</numerusform>
                <numerusform>Please try again in %n seconds.</numerusform>
            </translation>
        </message>
    </context>
</TS>
